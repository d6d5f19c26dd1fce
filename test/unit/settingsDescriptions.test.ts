// The Settings editor shows a setting's description first: each says what the setting does in one
// sentence, on its own, and the details follow in later paragraphs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../harness/paths';

interface SettingSchema {
  markdownDescription?: string;
  description?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
};
const settings = Object.entries(manifest.contributes.configuration.properties);

describe('settings descriptions', () => {
  it(`every one of the ${settings.length} settings is described`, () => {
    assert.ok(settings.length >= 12);
  });

  for (const [name, schema] of settings) {
    it(`${name}: one sentence first, saying what it does; details after`, () => {
      const text = schema.markdownDescription ?? schema.description ?? '';
      const [lead, ...details] = text.split('\n\n');
      assert.match(lead, /^[A-Z*].*\.$/, `the first paragraph is a sentence: ${lead}`);
      assert.equal(lead.split(/[.!?] /).length, 1, `the first paragraph is one sentence: ${lead}`);
      assert.ok(lead.length <= 130, `the first sentence is short (${lead.length} characters): ${lead}`);
      assert.ok(details.length >= 1, 'the details follow in their own paragraph');
    });
  }
});
