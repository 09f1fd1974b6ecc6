// @ts-check
// The Pattern Lens cheat-sheet page. Plain browser JavaScript that runs under the page's strict CSP:
// no inline handlers, no eval, no innerHTML. Every element is built with createElement/textContent.
// Data arrives by postMessage from the extension and is validated here as well (see
// client/src/cheatSheetMessages.ts for the typed shapes these checks mirror).
(function () {
  'use strict';

  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();

  const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  const MAX = { id: 80, short: 300, prose: 4000, code: 20000, url: 2048, list: 5000 };
  const PROSE = ['what', 'when', 'whenNot', 'pitfall'];
  /** The prose headings per kind of entry; other kinds use the pattern ones. */
  const PROSE_LABELS = {
    pattern: { what: 'What it does', when: 'When to use it', whenNot: 'When not to', pitfall: 'Pitfall' },
    gotcha: { what: 'What goes wrong', when: 'When it bites', whenNot: 'What the rule leaves alone', pitfall: 'When fixing it' },
  };
  const SEVERITIES = ['error', 'warning', 'info', 'hint'];
  const KIND_LABELS = { pattern: 'Patterns', gotcha: 'Gotchas' };

  /** @type {any[]} */
  let entries = [];
  /** @type {Map<string, any>} */
  let byId = new Map();
  /** @type {Map<string, HTMLElement>} */
  const cards = new Map();
  /** @type {Map<string, HTMLElement>} */
  const mapRows = new Map();
  let catalogReceived = false;
  let patternsSeq = -1;

  const state = readState(vscode.getState());

  const el = {
    toolbar: byIdEl('toolbar'),
    search: /** @type {HTMLInputElement} */ (byIdEl('search')),
    category: /** @type {HTMLSelectElement} */ (byIdEl('category')),
    kind: /** @type {HTMLSelectElement} */ (byIdEl('kind')),
    count: byIdEl('count'),
    problem: byIdEl('problem'),
    inFileHeading: byIdEl('in-file-heading'),
    inFileStatus: byIdEl('in-file-status'),
    inFileList: byIdEl('in-file-list'),
    mapRows: byIdEl('map-rows'),
    cards: byIdEl('cards'),
    empty: byIdEl('empty'),
    clear: byIdEl('clear-filters'),
  };

  // ---------------------------------------------------------------------------------------------
  // State (acquireVsCodeApi().getState/setState survives reloads of the page and of the window)

  /** @param {unknown} raw */
  function readState(raw) {
    const s = raw && typeof raw === 'object' ? /** @type {Record<string, unknown>} */ (raw) : {};
    return {
      search: isText(s.search, MAX.short, true) ? /** @type {string} */ (s.search) : '',
      category: isId(s.category) ? /** @type {string} */ (s.category) : '',
      kind: isId(s.kind) ? /** @type {string} */ (s.kind) : '',
      selectedId: isId(s.selectedId) ? /** @type {string} */ (s.selectedId) : undefined,
      scrollY: Number.isSafeInteger(s.scrollY) && /** @type {number} */ (s.scrollY) >= 0 ? /** @type {number} */ (s.scrollY) : 0,
    };
  }

  function saveState() {
    /** @type {Record<string, unknown>} */
    const saved = {
      search: state.search,
      category: state.category,
      kind: state.kind,
      scrollY: Math.max(0, Math.round(window.scrollY)),
    };
    if (state.selectedId) saved.selectedId = state.selectedId;
    vscode.setState(saved);
  }

  let scrollTimer = 0;
  window.addEventListener(
    'scroll',
    () => {
      if (!catalogReceived) return;
      window.clearTimeout(scrollTimer);
      scrollTimer = window.setTimeout(saveState, 150);
    },
    { passive: true },
  );

  // ---------------------------------------------------------------------------------------------
  // Validation of what the extension sends

  /** @param {unknown} v */
  function isId(v) {
    return typeof v === 'string' && v.length <= MAX.id && ID.test(v);
  }

  /** @param {unknown} v @param {number} max @param {boolean} [allowEmpty] */
  function isText(v, max, allowEmpty) {
    return typeof v === 'string' && v.length <= max && (allowEmpty || v.trim() !== '');
  }

  /** @param {unknown} v */
  function isHttpsUrl(v) {
    if (typeof v !== 'string' || v.length > MAX.url || /[\s<>"'`\\]/.test(v) || !v.startsWith('https://')) return false;
    try {
      const url = new URL(v);
      return url.protocol === 'https:' && url.hostname !== '' && !url.username && !url.password;
    } catch {
      return false;
    }
  }

  /** @param {unknown} v */
  function isCount(v) {
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  }

  /** @param {unknown} raw @returns {any | undefined} */
  function validEntry(raw) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
    const e = /** @type {Record<string, any>} */ (raw);
    if (!isId(e.id) || !isId(e.kind) || !isId(e.category)) return undefined;
    if (!isText(e.title, MAX.short) || !isText(e.summary, MAX.prose)) return undefined;
    for (const key of PROSE) if (e[key] !== undefined && !isText(e[key], MAX.prose)) return undefined;
    if (e.example !== undefined && !isText(e.example, MAX.code)) return undefined;
    if (e.python !== undefined) {
      const p = e.python;
      if (!p || typeof p !== 'object' || !isText(p.name, MAX.short) || !isText(p.example, MAX.code) || !isText(p.note, MAX.prose)) {
        return undefined;
      }
    }
    if (e.rule !== undefined) {
      const r = e.rule;
      const codeList = (/** @type {unknown} */ v) => Array.isArray(v) && v.length <= 20 && v.every((c) => isText(c, MAX.code));
      if (
        !r ||
        typeof r !== 'object' ||
        !SEVERITIES.includes(r.defaultSeverity) ||
        !codeList(r.incorrect) ||
        !codeList(r.correct) ||
        !Array.isArray(r.fixes) ||
        !r.fixes.every((/** @type {any} */ f) => f && isText(f.title, MAX.short) && typeof f.safe === 'boolean') ||
        (r.requiresTypes !== undefined && typeof r.requiresTypes !== 'boolean')
      ) {
        return undefined;
      }
    }
    const links = e.links === undefined ? [] : e.links;
    if (!Array.isArray(links) || !links.every((l) => l && isText(l.title, MAX.short) && isHttpsUrl(l.url))) return undefined;
    const snippets = e.snippets === undefined ? [] : e.snippets;
    if (
      !Array.isArray(snippets) ||
      !snippets.every(
        (s) =>
          s &&
          isText(s.prefix, MAX.short) &&
          (s.description === undefined || isText(s.description, MAX.short, true)) &&
          Array.isArray(s.body) &&
          s.body.length > 0 &&
          s.body.every((/** @type {unknown} */ line) => typeof line === 'string' && line.length <= 1000),
      )
    ) {
      return undefined;
    }
    return { ...e, links, snippets };
  }

  // ---------------------------------------------------------------------------------------------
  // Messages

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
    switch (message.type) {
      case 'catalog':
        if (!Array.isArray(message.entries)) return;
        onCatalog(message.entries, isText(message.problem, MAX.prose) ? message.problem : undefined);
        return;
      case 'showEntry':
        if (isId(message.id)) showEntry(message.id, true);
        return;
      case 'patterns':
        onPatterns(message);
        return;
      default:
        return;
    }
  });

  /** @param {Record<string, unknown>} message */
  function post(message) {
    vscode.postMessage(message);
  }

  // ---------------------------------------------------------------------------------------------
  // Catalog rendering

  /** @param {unknown[]} rawEntries @param {string | undefined} problem */
  function onCatalog(rawEntries, problem) {
    const seen = new Set();
    entries = [];
    let dropped = 0;
    for (const raw of rawEntries.slice(0, 2000)) {
      const entry = validEntry(raw);
      if (entry && !seen.has(entry.id)) {
        seen.add(entry.id);
        entries.push(entry);
      } else {
        dropped++;
      }
    }
    byId = new Map(entries.map((e) => [e.id, e]));
    catalogReceived = true;

    const problems = [problem, dropped ? `${dropped} malformed entr${dropped === 1 ? 'y was' : 'ies were'} left out.` : undefined].filter(Boolean);
    el.problem.textContent = problems.join(' ');
    el.problem.hidden = problems.length === 0;

    fillFilters();
    renderMap();
    renderCards();
    el.search.value = state.search;
    el.category.value = byCategory().has(state.category) ? state.category : '';
    el.kind.value = hasKindOption(state.kind) ? state.kind : '';
    state.category = el.category.value;
    state.kind = el.kind.value;
    applyFilters();
    renderPatternsAgain();

    // Back where the user was: the saved scroll position, else the selected card.
    const selected = state.selectedId ? cards.get(state.selectedId) : undefined;
    if (selected) selected.classList.add('selected');
    if (state.scrollY > 0) window.scrollTo(0, state.scrollY);
    else if (selected && !selected.hidden) selected.scrollIntoView({ block: 'start' });
  }

  function byCategory() {
    /** @type {Map<string, number>} */
    const counts = new Map();
    for (const e of entries) counts.set(e.category, (counts.get(e.category) || 0) + 1);
    return counts;
  }

  function fillFilters() {
    el.category.replaceChildren(option('', `All categories (${entries.length})`));
    for (const [category, n] of [...byCategory()].sort((a, b) => a[0].localeCompare(b[0]))) {
      el.category.append(option(category, `${label(category)} (${n})`));
    }
    /** @type {Map<string, number>} */
    const kinds = new Map([['pattern', 0], ['gotcha', 0]]);
    for (const e of entries) kinds.set(e.kind, (kinds.get(e.kind) || 0) + 1);
    el.kind.replaceChildren(option('', `All kinds (${entries.length})`));
    for (const [kind, n] of kinds) {
      const name = Object.prototype.hasOwnProperty.call(KIND_LABELS, kind) ? KIND_LABELS[/** @type {'pattern'} */ (kind)] : label(kind);
      el.kind.append(option(kind, `${name} (${n})`));
    }
  }

  /** @param {string} kind */
  function hasKindOption(kind) {
    return [...el.kind.options].some((o) => o.value === kind);
  }

  /** @param {string} value @param {string} text */
  function option(value, text) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    return o;
  }

  /** "decorators" -> "Decorators", "type-level" -> "Type level". */
  /** @param {string} id */
  function label(id) {
    const words = id.replace(/-/g, ' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  function renderMap() {
    mapRows.clear();
    const rows = [];
    for (const entry of entries) {
      if (!entry.python) continue;
      const tr = document.createElement('tr');
      const py = document.createElement('td');
      py.append(...inlineMarkdown(entry.python.name));
      const ts = document.createElement('td');
      ts.append(entryLink(entry, entry.title));
      const category = document.createElement('td');
      category.textContent = label(entry.category);
      tr.append(py, ts, category);
      mapRows.set(entry.id, tr);
      rows.push(tr);
    }
    el.mapRows.replaceChildren(...rows);
  }

  /** An in-page link to an entry's card. @param {any} entry @param {string} text */
  function entryLink(entry, text) {
    const a = document.createElement('a');
    a.href = `#${cardId(entry.id)}`;
    a.className = 'entry-link';
    a.dataset.entry = entry.id;
    a.append(...inlineMarkdown(text));
    return a;
  }

  /** @param {string} id */
  function cardId(id) {
    return `entry-${id}`;
  }

  function renderCards() {
    cards.clear();
    el.cards.replaceChildren(...entries.map((entry) => {
      const card = renderCard(entry);
      cards.set(entry.id, card);
      return card;
    }));
  }

  /** @param {any} entry */
  function renderCard(entry) {
    const card = document.createElement('article');
    card.className = `card kind-${entry.kind}`;
    card.id = cardId(entry.id);
    card.tabIndex = -1;
    card.dataset.entry = entry.id;
    card.setAttribute('aria-labelledby', `${card.id}-title`);

    const head = document.createElement('header');
    head.className = 'card-head';
    const h3 = document.createElement('h3');
    h3.id = `${card.id}-title`;
    h3.append(...inlineMarkdown(entry.title));
    const meta = document.createElement('p');
    meta.className = 'meta';
    const idCode = document.createElement('code');
    idCode.className = 'entry-id';
    idCode.textContent = entry.id;
    meta.append(idCode, badge(label(entry.category), 'badge'), badge(entry.kind, `badge badge-kind badge-${entry.kind}`));
    if (entry.rule) {
      const severity = badge(entry.rule.defaultSeverity, `badge badge-kind badge-severity badge-${entry.rule.defaultSeverity}`);
      severity.title = 'Default severity';
      meta.append(severity);
      if (entry.rule.requiresTypes) meta.append(badge('needs types', 'badge badge-kind'));
    }
    head.append(h3, meta);

    const summary = document.createElement('p');
    summary.className = 'summary';
    summary.append(...inlineMarkdown(entry.summary));
    card.append(head, summary);

    const facts = document.createElement('dl');
    facts.className = 'facts';
    const labels = Object.prototype.hasOwnProperty.call(PROSE_LABELS, entry.kind) ? PROSE_LABELS[/** @type {'pattern'} */ (entry.kind)] : PROSE_LABELS.pattern;
    for (const key of PROSE) {
      if (!entry[key]) continue;
      const title = labels[/** @type {'what'} */ (key)];
      const div = document.createElement('div');
      div.className = `fact fact-${key}`;
      const dt = document.createElement('dt');
      dt.textContent = title;
      const dd = document.createElement('dd');
      dd.append(...paragraphs(entry[key]));
      div.append(dt, dd);
      facts.append(div);
    }
    if (facts.childElementCount > 0) card.append(facts);

    const examples = document.createElement('div');
    examples.className = 'examples';
    if (entry.rule && (entry.rule.incorrect.length > 0 || entry.rule.correct.length > 0)) {
      // A gotcha shows what the rule flags and what it accepts (its example is the first incorrect one).
      const section = document.createElement('section');
      section.className = 'typescript';
      for (const [title, codes, className] of [
        ['Flagged', entry.rule.incorrect, 'incorrect'],
        ['Fine', entry.rule.correct, 'correct'],
      ]) {
        if (codes.length === 0) continue;
        const h4 = document.createElement('h4');
        h4.className = `verdict verdict-${className}`;
        h4.textContent = title;
        section.append(h4, ...codes.map((/** @type {string} */ code) => pres(code, 'language-typescript')));
      }
      examples.append(section);
    } else if (entry.example) {
      examples.append(codeBlock('TypeScript', entry.example, 'language-typescript'));
    }
    if (entry.python) {
      const py = document.createElement('section');
      py.className = 'python';
      py.setAttribute('aria-label', `Python counterpart of ${plainText(entry.title)}`);
      const h4 = document.createElement('h4');
      h4.append('In Python: ', ...inlineMarkdown(entry.python.name));
      const pre = pres(entry.python.example, 'language-python');
      const note = document.createElement('p');
      note.className = 'note';
      note.append(...inlineMarkdown(entry.python.note));
      py.append(h4, pre, note);
      examples.append(py);
    }
    if (examples.childElementCount > 0) card.append(examples);

    if (entry.rule && entry.rule.fixes.length > 0) {
      const fixes = document.createElement('div');
      fixes.className = 'fixes';
      const h4 = document.createElement('h4');
      h4.textContent = entry.rule.fixes.length === 1 ? 'Quick fix' : 'Quick fixes';
      const ul = document.createElement('ul');
      for (const fix of entry.rule.fixes) {
        const li = document.createElement('li');
        li.append(...inlineMarkdown(fix.title), ' ');
        li.append(badge(fix.safe ? 'safe: part of fix all' : 'one at a time', `badge badge-kind ${fix.safe ? 'fix-safe' : 'fix-unsafe'}`));
        ul.append(li);
      }
      fixes.append(h4, ul);
      card.append(fixes);
    }

    if (entry.snippets.length > 0) {
      const list = document.createElement('ul');
      list.className = 'snippets';
      list.setAttribute('aria-label', `Snippets for ${plainText(entry.title)}`);
      for (const snippet of entry.snippets) {
        const li = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'insert';
        button.dataset.entry = entry.id;
        button.dataset.prefix = snippet.prefix;
        button.textContent = 'Insert snippet';
        button.setAttribute('aria-label', `Insert snippet ${snippet.prefix}: ${plainText(snippet.description || entry.title)}`);
        const prefix = document.createElement('code');
        prefix.textContent = snippet.prefix;
        const description = document.createElement('span');
        description.className = 'snippet-description';
        description.append(...inlineMarkdown(snippet.description || ''));
        li.append(button, ' ', prefix, ' ', description);
        list.append(li);
      }
      card.append(list);
    }

    if (entry.links.length > 0) {
      const nav = document.createElement('nav');
      nav.className = 'links';
      nav.setAttribute('aria-label', `Documentation for ${plainText(entry.title)}`);
      const ul = document.createElement('ul');
      for (const link of entry.links) {
        const li = document.createElement('li');
        li.append(externalLink(link.url, link.title));
        ul.append(li);
      }
      nav.append(ul);
      card.append(nav);
    }
    return card;
  }

  /** @param {string} text @param {string} className */
  function badge(text, className) {
    const span = document.createElement('span');
    span.className = className;
    span.textContent = text;
    return span;
  }

  /** @param {string} title @param {string} code @param {string} language */
  function codeBlock(title, code, language) {
    const section = document.createElement('section');
    section.className = 'typescript';
    const h4 = document.createElement('h4');
    h4.textContent = title;
    section.append(h4, pres(code, language));
    return section;
  }

  /** @param {string} code @param {string} language */
  function pres(code, language) {
    const pre = document.createElement('pre');
    const c = document.createElement('code');
    c.className = language;
    c.textContent = code.replace(/\n+$/, '');
    pre.append(c);
    return pre;
  }

  /** @param {string} url @param {string} text */
  function externalLink(url, text) {
    const a = document.createElement('a');
    a.href = url;
    a.className = 'external';
    a.dataset.url = url;
    a.textContent = text;
    a.title = url;
    return a;
  }

  /** The text of inline markdown without its marks, for aria-labels. @param {string} text */
  function plainText(text) {
    return inlineMarkdown(text)
      .map((part) => (typeof part === 'string' ? part : part.textContent))
      .join('');
  }

  /** Prose split on blank lines into paragraphs. @param {string} text */
  function paragraphs(text) {
    return text.split(/\n\s*\n/).map((chunk) => {
      const p = document.createElement('p');
      p.append(...inlineMarkdown(chunk));
      return p;
    });
  }

  /**
   * The markdown subset the catalog prose uses: `code`, **bold** and [text](https://...). Built as
   * DOM nodes; anything else stays literal text. Links that are not https are shown as their text.
   * @param {string} text
   * @returns {(Node | string)[]}
   */
  function inlineMarkdown(text) {
    /** @type {(Node | string)[]} */
    const out = [];
    const pattern = /`([^`\n]+)`|\*\*(.+?)\*\*|\[([^\]\n]+)\]\(([^()\s]+)\)/g;
    let last = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      if (match.index > last) out.push(text.slice(last, match.index));
      if (match[1] !== undefined) {
        const code = document.createElement('code');
        code.textContent = match[1];
        out.push(code);
      } else if (match[2] !== undefined) {
        const strong = document.createElement('strong');
        strong.append(...inlineMarkdown(match[2]));
        out.push(strong);
      } else if (isHttpsUrl(match[4])) {
        const a = externalLink(match[4], '');
        a.append(...inlineMarkdown(match[3]));
        out.push(a);
      } else {
        out.push(match[3]);
      }
      last = pattern.lastIndex;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Search and filters

  /** @param {any} entry @param {string[]} words */
  function matches(entry, words) {
    if (state.category && entry.category !== state.category) return false;
    if (state.kind && entry.kind !== state.kind) return false;
    if (words.length === 0) return true;
    const haystack = [entry.id, entry.title, entry.summary, entry.python ? entry.python.name : ''].join('\n').toLowerCase();
    return words.every((word) => haystack.includes(word));
  }

  function applyFilters() {
    const words = state.search.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const entry of entries) {
      const visible = matches(entry, words);
      if (visible) shown++;
      const card = cards.get(entry.id);
      if (card) card.hidden = !visible;
      const row = mapRows.get(entry.id);
      if (row) row.hidden = !visible;
    }
    el.empty.hidden = shown > 0 || entries.length === 0;
    el.count.textContent =
      entries.length === 0
        ? 'The catalog is empty.'
        : shown === entries.length
          ? `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`
          : `${shown} of ${entries.length} entries match`;
    const anyRow = [...mapRows.values()].some((row) => !row.hidden);
    byIdEl('map').hidden = !anyRow;
  }

  el.search.addEventListener('input', () => {
    state.search = el.search.value.slice(0, MAX.short);
    applyFilters();
    saveState();
  });
  el.category.addEventListener('change', () => {
    state.category = el.category.value;
    applyFilters();
    saveState();
  });
  el.kind.addEventListener('change', () => {
    state.kind = el.kind.value;
    applyFilters();
    saveState();
  });
  el.clear.addEventListener('click', () => {
    clearFilters();
    el.search.focus();
  });

  function clearFilters() {
    state.search = '';
    state.category = '';
    state.kind = '';
    el.search.value = '';
    el.category.value = '';
    el.kind.value = '';
    applyFilters();
    saveState();
  }

  // "/" focuses the search box, as on many documentation sites.
  document.addEventListener('keydown', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
    event.preventDefault();
    el.search.focus();
    el.search.select();
  });

  // ---------------------------------------------------------------------------------------------
  // Showing an entry

  /** @param {string} id @param {boolean} focus */
  function showEntry(id, focus) {
    const card = cards.get(id);
    if (!card) return;
    if (card.hidden) clearFilters();
    for (const other of el.cards.querySelectorAll('.card.selected')) other.classList.remove('selected');
    card.classList.add('selected');
    state.selectedId = id;
    card.scrollIntoView({ block: 'start' });
    if (focus) card.focus({ preventScroll: true });
    saveState();
  }

  // ---------------------------------------------------------------------------------------------
  // Patterns in this file

  /** @type {any} */
  let lastPatterns;

  /** @param {Record<string, unknown>} message */
  function onPatterns(message) {
    if (!isCount(message.seq) || !['ok', 'noEditor', 'unavailable'].includes(/** @type {string} */ (message.state))) return;
    if (message.file !== undefined && !isText(message.file, MAX.short)) return;
    const items = message.items;
    if (!Array.isArray(items) || items.length > MAX.list) return;
    if (!items.every((i) => i && isId(i.id) && isCount(i.line) && isCount(i.character))) return;
    if (/** @type {number} */ (message.seq) < patternsSeq) return;
    patternsSeq = /** @type {number} */ (message.seq);
    lastPatterns = { seq: message.seq, state: message.state, file: message.file, items };
    renderPatterns(lastPatterns);
  }

  function renderPatternsAgain() {
    if (lastPatterns) renderPatterns(lastPatterns);
  }

  /** @param {{ seq: number, state: string, file?: string, items: { id: string, line: number, character: number }[] }} p */
  function renderPatterns(p) {
    el.inFileHeading.replaceChildren('Patterns in this file');
    if (p.file) {
      const name = document.createElement('code');
      name.className = 'file-name';
      name.textContent = p.file;
      el.inFileHeading.replaceChildren('Patterns in ', name);
    }
    const list = [];
    if (p.state === 'noEditor') {
      el.inFileStatus.textContent = 'Open a TypeScript or JavaScript file to see the patterns it uses.';
    } else if (p.state === 'unavailable') {
      el.inFileStatus.textContent = 'The Pattern Lens language server did not answer. It may still be starting.';
    } else if (p.items.length === 0) {
      el.inFileStatus.textContent = 'No catalog patterns in this file.';
    } else {
      el.inFileStatus.textContent = `${p.items.length} occurrence${p.items.length === 1 ? '' : 's'}, in file order.`;
      p.items.forEach((item, index) => {
        const entry = byId.get(item.id);
        const title = entry ? entry.title : item.id;
        const plain = plainText(title);
        const li = document.createElement('li');
        const jump = document.createElement('button');
        jump.type = 'button';
        jump.className = 'jump';
        jump.dataset.seq = String(p.seq);
        jump.dataset.index = String(index);
        jump.setAttribute('aria-label', `Go to line ${item.line + 1}: ${plain}`);
        const line = document.createElement('span');
        line.className = 'line';
        line.textContent = `Line ${item.line + 1}`;
        const name = document.createElement('span');
        name.className = 'jump-title';
        name.append(...inlineMarkdown(title));
        jump.append(line, name);
        li.append(jump);
        if (entry) {
          const about = entryLink(entry, 'Card');
          about.className = 'entry-link about';
          about.setAttribute('aria-label', `Show the card for ${plain}`);
          li.append(' ', about);
        }
        list.push(li);
      });
    }
    el.inFileList.replaceChildren(...list);
    el.inFileList.hidden = list.length === 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Clicks: one delegated handler for buttons and links

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;

    const insert = target.closest('button.insert');
    if (insert instanceof HTMLElement) {
      const id = insert.dataset.entry;
      const prefix = insert.dataset.prefix;
      if (isId(id) && typeof prefix === 'string') post({ type: 'insertSnippet', id, prefix });
      return;
    }

    const jump = target.closest('button.jump');
    if (jump instanceof HTMLElement) {
      const seq = Number(jump.dataset.seq);
      const index = Number(jump.dataset.index);
      if (isCount(seq) && isCount(index)) post({ type: 'jumpToPattern', seq, index });
      return;
    }

    const anchor = target.closest('a');
    if (!(anchor instanceof HTMLAnchorElement)) return;
    if (anchor.classList.contains('external')) {
      // External links open through the extension, which checks the URL is one of the catalog's.
      event.preventDefault();
      if (isHttpsUrl(anchor.dataset.url)) post({ type: 'openLink', url: /** @type {string} */ (anchor.dataset.url) });
      return;
    }
    if (anchor.classList.contains('entry-link')) {
      event.preventDefault();
      const id = anchor.dataset.entry;
      if (isId(id)) showEntry(/** @type {string} */ (id), true);
      return;
    }
    if (anchor.classList.contains('skip-link')) {
      event.preventDefault();
      const heading = document.getElementById(anchor.dataset.target || '');
      if (heading) {
        heading.scrollIntoView({ block: 'start' });
        heading.focus({ preventScroll: true });
      }
    }
  });

  // Middle clicks on links would otherwise try to open them directly.
  document.addEventListener('auxclick', (event) => {
    if (event.target instanceof Element && event.target.closest('a')) event.preventDefault();
  });

  // Keep anchor targets clear of the sticky toolbar.
  /** @param {HTMLElement} toolbar */
  function trackToolbarHeight(toolbar) {
    const update = () => document.documentElement.style.setProperty('--toolbar-height', `${toolbar.offsetHeight}px`);
    update();
    if (typeof ResizeObserver === 'function') new ResizeObserver(update).observe(toolbar);
  }

  /** @param {string} id */
  function byIdEl(id) {
    const found = document.getElementById(id);
    if (!found) throw new Error(`cheat sheet: missing #${id}`);
    return found;
  }

  trackToolbarHeight(el.toolbar);
  el.search.value = state.search;
  post({ type: 'ready' });
})();
