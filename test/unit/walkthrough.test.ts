// The walkthrough (package.json contributes.walkthroughs) as VS Code reads it: six steps in the order
// a new user needs them, each with a button running a command that exists and completed by that
// command; its Markdown shipped in the VSIX.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';
import { WALKTHROUGH_ID } from '../../src/core/welcome';
import { repoRoot } from '../harness/paths';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; svg?: string; altText?: string };
  completionEvents?: string[];
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string }[];
    walkthroughs: { id: string; title: string; description: string; steps: Step[] }[];
  };
};
const contributed = new Set(manifest.contributes.commands.map((entry) => entry.command));

/** A button of a step's description: a link alone on its line. */
interface StepButton {
  command: string;
  /** `command:toSide:`: the walkthrough moves aside and what the command opens goes beside it. */
  toSide: boolean;
}

function buttonsOf(description: string): StepButton[] {
  return description.split('\n').flatMap((line) => {
    const match = /^\[[^\]]+\]\(command:(toSide:)?([\w.]+)(?:\?[^)\s]*)?\)$/.exec(line.trim());
    return match ? [{ command: match[2], toSide: match[1] !== undefined }] : [];
  });
}

/**
 * The button each step offers. The last two need an editor: a command run from the walkthrough page
 * finds none (it has the focus) and fails, and VS Code would tick the step all the same. Their button
 * opens an editor beside the walkthrough instead, and the user runs the command there.
 */
const EXPECTED_BUTTONS: Record<string, { command: string; opensEditor?: true }> = {
  chooseEndpoint: { command: 'streamChat.selectEndpoint' },
  setApiKey: { command: 'streamChat.setApiKey' },
  testConnection: { command: 'streamChat.testConnection' },
  openChat: { command: 'streamChat.openChat' },
  askAboutSelection: { command: 'workbench.action.quickOpen', opensEditor: true },
  insertAtCursor: { command: 'workbench.action.files.newUntitledFile', opensEditor: true },
};

describe('walkthrough: Get Started with Stream Chat', () => {
  const walkthrough = manifest.contributes.walkthroughs.find((entry) => entry.id === WALKTHROUGH_ID);

  it('is contributed under the id the first run opens', () => {
    assert.ok(walkthrough, `no walkthrough with id ${WALKTHROUGH_ID}`);
    assert.ok(walkthrough.title !== '' && walkthrough.description !== '');
  });

  it('has the six steps of a first run, in order', () => {
    assert.deepEqual(
      walkthrough?.steps.map((step) => step.id),
      ['chooseEndpoint', 'setApiKey', 'testConnection', 'openChat', 'askAboutSelection', 'insertAtCursor'],
    );
  });

  for (const step of walkthrough?.steps ?? []) {
    const expected = EXPECTED_BUTTONS[step.id];
    it(`${step.id}: its button runs ${expected?.command ?? '?'}; Stream Chat's command ticks it`, () => {
      const buttons = buttonsOf(step.description);
      assert.deepEqual(
        buttons.map((button) => button.command),
        [expected.command],
        `one button: ${step.description}`,
      );
      const events = step.completionEvents ?? [];
      assert.ok(events.length > 0, 'completed by commands, not by opening the step');
      for (const event of events) {
        const command = /^onCommand:(streamChat\.\w+)$/.exec(event)?.[1];
        assert.ok(command !== undefined && contributed.has(command), `${event} names a Stream Chat command`);
      }
      if (expected.opensEditor) {
        assert.ok(buttons[0].toSide, 'the editor opens beside the walkthrough, which stays in view');
        assert.ok(!events.includes(`onCommand:${expected.command}`), 'opening an editor does not tick the step');
      } else {
        assert.ok(contributed.has(expected.command), `${expected.command} is a contributed command`);
        assert.deepEqual(events, [`onCommand:${expected.command}`], 'its own command ticks it');
      }
    });
  }

  it('each step has its own Markdown, present and packaged in the VSIX', async () => {
    const packaged = new Set(await listFiles({ cwd: repoRoot, packageManager: PackageManager.None }));
    const media = (walkthrough?.steps ?? []).map((step) => step.media.markdown ?? '');
    assert.equal(new Set(media).size, media.length, `one file per step: ${media.join(', ')}`);
    for (const file of media) {
      assert.match(file, /^media\/walkthrough\/\w+\.md$/);
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      assert.ok(text.length < 2_000, `${file} is short (${text.length} characters)`);
      assert.ok(packaged.has(file), `${file} is in the VSIX (.vscodeignore)`);
    }
  });
});
