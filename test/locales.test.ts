/**
 * Message catalogs and help: every node type has both in every language, the languages
 * carry the same keys with the same __placeholders__, and help follows Node-RED's layout.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../..');
const LOCALES = path.join(REPO, 'locales');
const LANGS = ['en-US', 'zh-CN'];
/** Section headings Node-RED's help uses, per language: palette nodes have all three. */
const SECTIONS: Record<string, string[]> = { 'en-US': ['Inputs', 'Outputs', 'Details'], 'zh-CN': ['输入', '输出', '详细'] };

function nodeTypes(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };
  return Object.keys(pkg['node-red'].nodes);
}

/** Flattens a catalog to "a.b.c" → text. */
function flatten(obj: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix + key;
    if (typeof value === 'string') out.set(name, value);
    else if (value && typeof value === 'object') for (const [k, v] of flatten(value as Record<string, unknown>, `${name}.`)) out.set(k, v);
    else assert.fail(`${name} is neither text nor a group`);
  }
  return out;
}

function catalog(lang: string, type: string): Map<string, string> {
  return flatten(JSON.parse(fs.readFileSync(path.join(LOCALES, lang, `${type}.json`), 'utf8')) as Record<string, unknown>);
}

const placeholders = (text: string) => (text.match(/__\w+__/g) ?? []).sort();

describe('message catalogs and help', function () {
  it('every node type has a catalog and help in every language', function () {
    for (const lang of LANGS) {
      for (const type of nodeTypes()) {
        for (const ext of ['json', 'html']) assert.ok(fs.existsSync(path.join(LOCALES, lang, `${type}.${ext}`)), `locales/${lang}/${type}.${ext}`);
      }
    }
  });

  it('zh-CN has every en-US key, with the same placeholders, and nothing else', function () {
    for (const type of nodeTypes()) {
      const en = catalog('en-US', type);
      const zh = catalog('zh-CN', type);
      assert.deepEqual([...zh.keys()].sort(), [...en.keys()].sort(), `${type}: the same keys`);
      for (const [key, text] of en) {
        assert.deepEqual(placeholders(zh.get(key) ?? ''), placeholders(text), `${type}: ${key} placeholders`);
        if (/[A-Za-z]{4,}/.test(text.replace(/<[^>]+>|__\w+__|"[^"]*"|msg\.\w+|wss?:\/\/\S*|\b[A-Z0-9]{5,}\b/g, ''))) {
          assert.notEqual(zh.get(key), text, `${type}: ${key} is translated`);
        }
      }
    }
  });

  it('help is one data-help-name script per type, in Node-RED sections, in each language', function () {
    for (const lang of LANGS) {
      for (const type of nodeTypes()) {
        const html = fs.readFileSync(path.join(LOCALES, lang, `${type}.html`), 'utf8');
        const scripts = html.match(/<script type="text\/html" data-help-name="([^"]+)">/g) ?? [];
        assert.deepEqual(scripts, [`<script type="text/html" data-help-name="${type}">`], `${lang}/${type}.html`);
        assert.match(html, /^<script[^>]*>\s*<p>[^<]/, `${lang}/${type}.html opens with a summary paragraph`);
        const sections = type === 'bybit-connection' ? SECTIONS[lang].slice(2) : SECTIONS[lang];
        for (const title of sections) assert.ok(html.includes(`<h3>${title}</h3>`), `${lang}/${type}.html has ${title}`);
        if (type === 'bybit-order-entry') {
          // It takes orders: its help names its three actions and the safety switch.
          for (const action of ['create', 'amend', 'cancel']) assert.ok(html.includes(`<code>"${action}"</code>`), `${lang}/${type}.html shows msg.action ${action}`);
          assert.ok(html.includes(lang === 'en-US' ? 'Allow orders' : '允许下单'), `${lang}/${type}.html names the Allow orders switch`);
        } else if (type !== 'bybit-connection') {
          for (const action of ['subscribe', 'unsubscribe', 'list']) assert.ok(html.includes(`"action": "${action}"`), `${lang}/${type}.html shows msg.action ${action}`);
          const topic = type === 'bybit-account' ? 'account' : `${type.replace('bybit-', '')}.`;
          assert.ok(html.includes(`<code>${topic}`), `${lang}/${type}.html names its msg.topic`);
        }
      }
    }
  });

  it('node HTML files leave help to the locales, so each language gets its own', function () {
    for (const type of nodeTypes()) {
      const html = fs.readFileSync(path.join(REPO, 'nodes', `${type}.html`), 'utf8');
      assert.ok(!html.includes('data-help-name'), `nodes/${type}.html has no help of its own (Node-RED would prefer it)`);
    }
  });
});
