// The chat view's id (package.json contributes.views), apart so activation can register the view
// without loading the panel's code.
export const CHAT_VIEW_ID = 'streamChat.chatView';
