/// <reference lib="dom" />
/**
 * Pattern Lens in a real VS Code (code-server), driven through Chromium as a person would: each
 * scenario asserts what is on the screen (hovers, squiggles, menus, the cheat sheet) and, for edits,
 * the file as saved.
 *
 * Run with `npm run test:e2e` (scripts/e2e.sh: installs what it needs, packages the vsix, runs this).
 * Screenshots go to docs/images/ (or $PATTERN_LENS_E2E_IMAGES).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DARK_THEME, Harness, LIGHT_THEME, ROOT, shownWithin } from './harness';

const IMAGES = process.env.PATTERN_LENS_E2E_IMAGES ?? path.join(ROOT, 'docs', 'images');
const image = (name: string): string => path.join(IMAGES, name);

/** Per scenario: generous, but a hung editor fails the scenario instead of the whole CI run. */
const SCENARIO = { timeout: 150_000 };

describe('Pattern Lens in a real VS Code', { timeout: 20 * 60_000 }, () => {
  let h: Harness;

  before(async () => {
    h = await Harness.launch({ theme: DARK_THEME });
  }, { timeout: 240_000 });

  after(async () => {
    await h?.close();
  }, { timeout: 60_000 });

  test('hovering a decorator shows the Pattern Lens explanation', SCENARIO, async () => {
    await h.step('open src/decorators.ts', () => h.openFile('src/decorators.ts'));
    // `@logged` is on line 14; the mouse goes over the `l` of `logged`. The first hover also waits for
    // the extension to activate and its language server to start.
    const hover = await h.step('hover @logged with the mouse', () => h.hoverUntil(14, 4, 'Class member decorator (Stage 3)'), 90_000);
    const text = (await hover.textContent()) ?? '';
    assert.match(text, /Class member decorator \(Stage 3\)/);
    assert.match(text, /In Python:/);
    assert.match(text, /functools\.wraps/);
    assert.match(text, /Open in cheat sheet/);
    await h.step('screenshot the hover', () => h.screenshot(image('hover.png')));
    // The Python counterpart is further down the hover: scroll it with the mouse wheel until it is in sight.
    await h.step('scroll the hover to "In Python"', async () => {
      const python = hover.locator('strong', { hasText: 'In Python:' }).first();
      const box = await hover.boundingBox();
      assert.ok(box, 'the hover has a box');
      await h.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await h.until('"In Python:" inside the hover\'s visible area', async () => {
        const inner = await python.boundingBox();
        const outer = await hover.boundingBox();
        if (inner && outer && inner.y >= outer.y && inner.y + inner.height <= outer.y + outer.height) return true;
        await h.page.mouse.wheel(0, 120);
        return undefined;
      }, 15_000, 200);
    });

    // The same hover from the keyboard: Ctrl+K Ctrl+I on the decorator.
    await h.page.mouse.move(5, 5);
    await h.page.keyboard.press('Escape');
    const byKeyboard = await h.step('hover @logged with Ctrl+K Ctrl+I', () =>
      h.hoverUntil(14, 3, 'Class member decorator (Stage 3)', 'keyboard'));
    assert.match((await byKeyboard.textContent()) ?? '', /In Python:/);
    await h.page.keyboard.press('Escape');

    // Plain code gets no Pattern Lens hover: the class name only has TypeScript's own.
    await h.step('hover plain code', async () => {
      await h.hoverUntil(13, 16, 'class Greeter');
      const shown = (await h.hovers().allTextContents()).join('\n');
      assert.match(shown, /class Greeter/);
      assert.doesNotMatch(shown, /In Python:/);
    });
    await h.page.mouse.move(5, 5);
    await h.page.keyboard.press('Escape');
  });

  test('a loose equality shows a squiggle and its quick fix makes it strict', SCENARIO, async () => {
    await h.step('open src/equality.ts', () => h.openFile('src/equality.ts'));
    const editor = h.activeEditor();
    await h.step('a warning squiggle under ==', () =>
      editor.locator('.view-overlays .squiggly-warning').first().waitFor({ state: 'visible', timeout: 45_000 }), 50_000);

    // The problem itself, as the hover over the squiggle shows it.
    const problem = await h.step('hover the squiggle', () => h.hoverUntil(4, 12, 'converts types before comparing'));
    assert.match((await problem.textContent()) ?? '', /loose-equality/);
    await h.page.mouse.move(5, 5);
    await h.page.keyboard.press('Escape');

    // The hover left the cursor on the `==` already; the editor asks for code actions when the cursor
    // moves, so it comes onto the line afresh, from the blank line above, as a click would bring it.
    const lightbulb = editor.locator('.lightBulbWidget, .codicon-light-bulb, .codicon-lightbulb-autofix').first();
    await h.step('the lightbulb on the line', () =>
      h.until('the lightbulb at 4:12', async () => {
        await h.goTo(2, 1);
        await h.goTo(4, 12);
        return shownWithin(lightbulb, 5_000);
      }, 30_000), 40_000);

    const fix = h.page.locator('.action-widget .monaco-list-row', { hasText: 'Use strict equality' }).first();
    await h.step('Ctrl+. lists "Use strict equality"', async () => {
      await h.until('the Quick Fix menu', async () => {
        await h.page.keyboard.press('Escape');
        await h.goTo(4, 12);
        await h.page.keyboard.press('Control+.');
        return shownWithin(fix, 4_000);
      }, 30_000);
    });
    await h.step('screenshot the quick fix', async () => {
      await fix.hover();
      await h.screenshot(image('quick-fix.png'));
    });

    await h.step('apply the fix', () => fix.click());
    await h.step('the editor shows ===', () =>
      h.until('"x === 1" on screen', async () => (await h.visibleText()).includes('return x === 1;'), 15_000));
    await h.step('save', () => h.save());
    assert.equal(
      h.readFile('src/equality.ts'),
      '// A gotcha: `==` converts types before comparing.\n\nexport function isOne(x: unknown): boolean {\n  return x === 1;\n}\n',
    );
    await h.step('the squiggle goes away', () =>
      editor.locator('.view-overlays .squiggly-warning').first().waitFor({ state: 'detached', timeout: 20_000 }));
  });

  test('typing pl-using then Tab inserts the `using` snippet', SCENARIO, async () => {
    await h.step('open src/resources.ts', () => h.openFile('src/resources.ts'));
    await h.goTo(4, 3);
    await h.step('type pl-using and see the suggestion', async () => {
      await h.page.keyboard.type('pl-using', { delay: 40 });
      await h.page
        .locator('.suggest-widget .monaco-list-row.focused', { hasText: 'pl-using' })
        .first()
        .waitFor({ state: 'visible', timeout: 20_000 });
    });
    await h.step('Tab', () => h.page.keyboard.press('Tab'));
    await h.step('the snippet is on screen', () =>
      h.until('"using resource = {" on screen', async () => (await h.visibleText()).includes('using resource = {'), 10_000));
    // Leave the snippet's tab stops, then save and compare the file, line by line.
    await h.page.keyboard.press('Escape');
    await h.page.keyboard.press('Escape');
    await h.step('save', () => h.save());
    const lines = h.readFile('src/resources.ts').split('\n').map((line) => line.trimEnd());
    assert.deepEqual(lines, [
      '// The snippet scenario types into the empty function below.',
      '',
      'export function withResource(): void {',
      '  using resource = {',
      '    [Symbol.dispose]() {',
      "      console.log('released');",
      '    },',
      '  };',
      '',
      '}',
      '',
    ]);
  });

  describe('the cheat sheet', () => {
    const sheet = () => h.webview();

    test('"Open in cheat sheet" in the hover opens the panel at that entry', SCENARIO, async () => {
      await h.step('close editors, open src/decorators.ts', async () => {
        await h.closeAllEditors();
        await h.openFile('src/decorators.ts');
      });
      const hover = await h.step('hover @logged', () => h.hoverUntil(14, 4, 'Open in cheat sheet'));
      await h.step('click "Open in cheat sheet"', async () => {
        const link = hover.locator('a', { hasText: 'Open in cheat sheet' }).first();
        await link.scrollIntoViewIfNeeded();
        await link.click();
      });
      await h.step('the panel shows the entry', async () => {
        const card = sheet().locator('#entry-method-decorator');
        await card.waitFor({ state: 'visible', timeout: 45_000 });
        await h.until('the card to be selected and scrolled into view', async () =>
          card.evaluate((node) => {
            const box = node.getBoundingClientRect();
            return node.classList.contains('selected') && box.top >= 0 && box.top < window.innerHeight;
          }), 20_000);
        assert.match((await card.locator('h3').textContent()) ?? '', /Class member decorator \(Stage 3\)/);
        assert.match((await card.textContent()) ?? '', /In Python: decorators with functools\.wraps/);
      });
      const tab = h.page.locator('.tabs-container .tab', { hasText: 'Pattern Lens Cheat Sheet' });
      assert.equal(await tab.count(), 1);
      await h.page.mouse.move(5, 5);
    });

    test('screenshots of the cheat sheet, dark and light', SCENARIO, async () => {
      await h.step('dark', async () => {
        await h.webviewThemeUntil(true);
        await h.screenshot(image('cheat-sheet-dark.png'));
      });
      await h.step('light', async () => {
        await h.setTheme(LIGHT_THEME);
        await h.webviewThemeUntil(false);
        await h.screenshot(image('cheat-sheet-light.png'));
      });
      await h.step('back to dark', async () => {
        await h.setTheme(DARK_THEME);
        await h.webviewThemeUntil(true);
      });
    });

    test('the search box filters the entries', SCENARIO, async () => {
      const search = sheet().locator('#search');
      const count = sheet().locator('#count');
      await h.step('Pattern Lens: Open Cheat Sheet (command palette)', () => h.openCheatSheet());
      const total = await h.step('the full list', async () => {
        await search.waitFor({ state: 'visible' });
        await search.fill('');
        return h.until('the entry count', async () => /^(\d+) entries$/.exec(((await count.textContent()) ?? '').trim())?.[1], 10_000);
      });
      await h.step('search ExitStack', () => search.pressSequentially('ExitStack', { delay: 30 }));
      await h.step('one entry left', async () => {
        await h.until('"1 of N entries match"', async () =>
          ((await count.textContent()) ?? '').trim() === `1 of ${total} entries match`, 10_000);
        const visible = await sheet().locator('.card:not([hidden])').evaluateAll((cards) => cards.map((card) => card.id));
        assert.deepEqual(visible, ['entry-disposable-stack']);
      });
      await h.step('clear the search', async () => {
        await search.fill('');
        await h.until('every entry again', async () => ((await count.textContent()) ?? '').trim() === `${total} entries`, 10_000);
      });
    });

    test('"Insert snippet" inserts into the editor', SCENARIO, async () => {
      await h.step('open src/notes.ts in the first group, cursor on the last line', async () => {
        await h.page.keyboard.press('Control+1');
        await h.openFile('src/notes.ts');
        await h.goTo(5, 1);
      });
      const button = sheet().locator('#entry-using-declaration button.insert[data-prefix="pl-using"]');
      await h.step('click "Insert snippet" on the using card', async () => {
        await h.openCheatSheet();
        await sheet().locator('#search').fill('using declaration');
        await button.waitFor({ state: 'visible' });
        await button.click();
      });
      await h.step('the snippet is in the editor', () =>
        h.until('"using resource = {" on screen', async () => (await h.visibleText()).includes('using resource = {'), 15_000));
      await h.page.keyboard.press('Escape');
      await h.page.keyboard.press('Escape');
      await h.step('save', () => h.save());
      const text = h.readFile('src/notes.ts');
      assert.match(text, /export const notes: string\[\] = \[\];\n\nusing resource = \{\n  \[Symbol\.dispose\]\(\) \{\n    console\.log\('released'\);\n  \},\n\};/);
      await sheet().locator('#search').fill('');
    });

    test('"Patterns in this file" jumps to the line', SCENARIO, async () => {
      await h.step('open src/patterns.ts in the first group', async () => {
        await h.page.keyboard.press('Control+1');
        await h.openFile('src/patterns.ts');
        await h.goTo(1, 1);
      });
      const jump = sheet().locator('#in-file-list button.jump', { hasText: 'Line 16' }).first();
      await h.step('the list names the file and its patterns', async () => {
        await h.openCheatSheet();
        await h.until('"Patterns in src/patterns.ts"', async () =>
          ((await sheet().locator('#in-file-heading').textContent()) ?? '').includes('patterns.ts'), 20_000);
        await jump.waitFor({ state: 'visible' });
        const items = await sheet().locator('#in-file-list button.jump').allTextContents();
        assert.ok(items.some((item) => /^Line 3(?!\d).*Generator function/.test(item)), items.join(' | '));
        assert.ok(items.some((item) => /^Line 11(?!\d).*infer/.test(item)), items.join(' | '));
        assert.ok(items.some((item) => /^Line 16(?!\d).*using declaration/.test(item)), items.join(' | '));
      });
      await h.step('click "Line 16"', () => jump.click());
      await h.step('the editor is at line 16', async () => {
        await h.until('the cursor on line 16', async () => /^Ln 16, Col \d+/.test(await h.cursorStatus()), 10_000);
        const line = h.activeEditor().locator('.view-overlays .current-line, .view-overlays .selected-text').first();
        await line.waitFor({ state: 'attached' });
        assert.match(await h.visibleText(), /using disposer = new DisposableStack\(\);/);
      });
    });
  });

  test('the extension and its server keep a code cache in the installed extension', SCENARIO, async () => {
    // Each loader writes its bundle's cache once that bundle has run for 5 s; the editor has been open longer.
    const written = (bundle: string) => h.codeCaches().some((name) => name.startsWith(`${bundle}-`) && name.endsWith('.v8cache'));
    await h.until('both code caches written', async () => written('extension.bundle.js') && written('server.bundle.js'), 30_000);
  });
});
