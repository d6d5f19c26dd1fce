// Show Chat History (a quick pick of saved conversations: open, rename, delete with Undo, search by
// text) and Export Chat as Markdown (an untitled Markdown document).
import * as vscode from 'vscode';
import { isDefaultProfile } from '../core/profiles';
import type { ChatSession } from '../chat/chatSession';
import type { ConversationData } from '../core/conversation';
import type { ChatHistory } from './chatHistory';
import { conversationMarkdown } from './markdownExport';
import { conversationModel, conversationTitleOf, findInConversation } from './search';

const CHAT_VIEW_FOCUS = 'streamChat.chatView.focus';

interface HistoryItem extends vscode.QuickPickItem {
  data: ConversationData;
}

const renameButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('edit'), tooltip: 'Rename' };
const deleteButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete' };

export function registerHistoryCommands(history: ChatHistory, session: ChatSession): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('streamChat.showHistory', () => showHistory(history, session)),
    vscode.commands.registerCommand('streamChat.exportChat', () => exportChat(session)),
  ];
}

/** Opens the panel's conversation as an untitled Markdown document; returns it (tests read it). */
async function exportChat(session: ChatSession): Promise<vscode.TextDocument | undefined> {
  const conversation = session.current;
  if (conversation.length === 0) {
    void vscode.window.showInformationMessage('Stream Chat: the chat is empty; there is nothing to export yet.');
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument({
    language: 'markdown',
    content: conversationMarkdown(conversation.toJSON()),
  });
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

async function showHistory(history: ChatHistory, session: ChatSession): Promise<void> {
  const pick = vscode.window.createQuickPick<HistoryItem>();
  pick.title = 'Chat History';
  pick.placeholder = 'Search past conversations by title or text';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.busy = true;
  pick.show();

  let conversations: ConversationData[] = [];
  const refresh = () => {
    const query = pick.value;
    pick.items = conversations.map((data) =>
      itemOf(data, session.current.id === data.id, findInConversation(data, query)),
    );
  };
  const disposables: vscode.Disposable[] = [
    // The quick pick matches titles itself; a match inside the text shows its excerpt and stays listed.
    pick.onDidChangeValue(refresh),
    pick.onDidAccept(async () => {
      const chosen = pick.selectedItems[0];
      if (chosen === undefined) return;
      pick.hide();
      if (await history.open(chosen.data.id)) await vscode.commands.executeCommand(CHAT_VIEW_FOCUS);
    }),
    pick.onDidTriggerItemButton(async ({ button, item }) => {
      if (button === renameButton) {
        const title = await vscode.window.showInputBox({
          title: 'Rename Conversation',
          value: conversationTitleOf(item.data),
          prompt: 'Empty = its first question',
        });
        if (title !== undefined) await history.rename(item.data.id, title);
        // The input box closed the quick pick: show the list again with the new name.
        void showHistory(history, session);
        return;
      }
      if (button === deleteButton) {
        const deleted = await history.delete(item.data.id);
        conversations = conversations.filter((data) => data.id !== item.data.id);
        refresh();
        if (deleted !== undefined) void offerUndo(history, deleted);
      }
    }),
    pick.onDidHide(() => {
      for (const disposable of disposables) disposable.dispose();
      pick.dispose();
    }),
  ];

  conversations = await history.list();
  pick.busy = false;
  if (conversations.length === 0) pick.placeholder = 'No saved conversations yet';
  refresh();
}

async function offerUndo(history: ChatHistory, deleted: ConversationData): Promise<void> {
  const choice = await vscode.window.showInformationMessage(
    `Stream Chat: deleted “${conversationTitleOf(deleted)}”.`,
    'Undo',
  );
  if (choice === 'Undo') await history.undoDelete(deleted);
}

function itemOf(data: ConversationData, open: boolean, match: string | undefined): HistoryItem {
  const model = conversationModel(data);
  const questions = data.turns.filter((turn) => turn.role === 'user').length;
  const profile = data.profile !== undefined && !isDefaultProfile(data.profile) ? data.profile : undefined;
  const description = [new Date(data.updatedAt).toLocaleString(), profile, model]
    .filter((part) => part !== undefined)
    .join(' · ');
  const omitted = (data.omittedTurns ?? 0) > 0 ? ` · oldest ${data.omittedTurns} turns not saved (size limit)` : '';
  const detail =
    match ?? `${questions} question${questions === 1 ? '' : 's'}${open ? ' · open in the panel' : ''}${omitted}`;
  return {
    label: `${open ? '$(comment-discussion) ' : ''}${conversationTitleOf(data)}`,
    description,
    detail,
    alwaysShow: match !== undefined,
    buttons: [renameButton, deleteButton],
    data,
  };
}
