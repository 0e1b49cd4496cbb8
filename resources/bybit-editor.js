/* Editor code shared by every bybit node: form rows, validation, labels and the config
 * node's endpoint preview live here once, so each node's HTML only says what is particular
 * to it. Node-RED loads this file once per node set; the guard keeps the first copy.
 *
 * What must agree with the runtime (the symbol rule, intervals, depths, ranges, endpoints)
 * is not written here: the build generates it from src/ into bybit-editor-constants.js
 * (window.BybitEditorConstants; see src/editor-constants.ts). */
(function () {
  'use strict';
  if (window.BybitEditor || window.BybitEditorStart) return;

  var MODULE = 'node-red-contrib-bybit-ws';
  // Texts every node shares live in the config node's catalog.
  var NS = MODULE + '/bybit-connection:';
  var LABEL_SYMBOLS = 3;
  /** The runtime's constants (set by start) and the symbol rule made from them. */
  var K;
  var SYMBOL;
  var DERIVATIVE;

  // Icons by channel family: market data, order book, candles, account and orders.
  var ICONS = {
    trade: 'bybit-market.svg', ticker: 'bybit-market.svg', bookticker: 'bybit-market.svg',
    orderbook: 'bybit-orderbook.svg', kline: 'bybit-candles.svg',
    account: 'bybit-account.svg', order: 'bybit-account.svg', execution: 'bybit-account.svg',
    position: 'bybit-position.svg', liquidation: 'bybit-liquidation.svg'
  };

  function _(key, subs) { return RED._(NS + key, subs); }

  var styled = false;
  /** Shared look for hints: small and quiet, red when something is wrong. */
  function ensureStyle() {
    if (styled) return;
    styled = true;
    $('<style>').text(
      '.bybit-hint-row { margin-top: -6px; }' +
      '.bybit-hint { font-size: 0.85em; color: var(--red-ui-secondary-text-color, #777); }' +
      '.bybit-hint-error { color: var(--red-ui-text-color-error, #d6615f) !important; }'
    ).appendTo('head');
  }

  // ---- values ------------------------------------------------------------------------

  /** A symbols field as the runtime reads it: comma list, trimmed, upper-cased, no repeats. */
  function splitSymbols(text) {
    var out = [];
    String(text || '').split(',').forEach(function (part) {
      var s = part.trim().toUpperCase();
      if (s && out.indexOf(s) === -1) out.push(s);
    });
    return out;
  }

  /** The symbol rule of a category (futures and options carry hyphens; an option trade node takes base coins). */
  function symbolRule(category, type) {
    if (!category || category === 'spot' || (category === 'option' && type === 'bybit-trade')) return SYMBOL;
    return DERIVATIVE;
  }

  /** The category the open dialog shows, else the node's. */
  function categoryOf(node) {
    var select = $('#node-input-category');
    return (select.length && select.val()) || (node && node.category) || 'spot';
  }

  /** The first entry that is not a symbol, or null when the list is fine (empty is fine). */
  function firstBadSymbol(text, rule) {
    var list = splitSymbols(text);
    for (var i = 0; i < list.length; i++) if (!(rule || SYMBOL).test(list[i])) return list[i];
    return null;
  }

  function isEnvVar(v) { return /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$|^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(String(v)); }

  function validateSymbols(v, opt) {
    if (isEnvVar(v)) return true;
    var bad = firstBadSymbol(v, symbolRule(categoryOf(this), this && this.type));
    if (bad === null) return true;
    return opt ? _('editor.errors.symbol', { symbol: bad }) : false;
  }

  function validateThrottle(v, opt) {
    var n = Number(v);
    if (v === '' || v === undefined || (String(v).trim() !== '' && n >= 0 && n <= K.throttleMaxMs)) return true;
    return opt ? _('editor.errors.throttle', { max: K.throttleMaxMs }) : false;
  }

  function validatePing(v, opt) {
    var n = Number(v);
    if (String(v).trim() !== '' && n >= K.pingInterval.min && n <= K.pingInterval.max) return true;
    return opt ? _('editor.errors.ping', { min: K.pingInterval.min, max: K.pingInterval.max }) : false;
  }

  function validateGuard(v) {
    return v === '' || v === undefined || /^\s*\d+(\.\d+)?\s*$/.test(String(v)) && Number(v) > 0;
  }

  function validateUrl(v) {
    return v === '' || isEnvVar(v) || /^wss?:\/\/[^\s/]+/.test(String(v));
  }

  /**
   * The sockets a config node will open, as the runtime's dialects compute them:
   * {public, public2 (spot v1 bookTicker), private} or {error: catalog key}.
   */
  function endpoints(network, api, publicUrl, privateUrl, tradeUrl) {
    var table = K.endpoints[api] || K.endpoints.v5;
    if (network === 'custom') {
      var pub = publicUrl || undefined;
      var out = { public: pub, private: privateUrl || undefined };
      // V5: each category's endpoint is the spot URL with its last path segment replaced.
      if (table.mainnet && table.mainnet['public-linear']) {
        K.categories.forEach(function (c) {
          if (c !== 'spot') out['public-' + c] = pub ? pub.replace(/^([^?#]*\/)[^/?#]*/, '$1' + c) : undefined;
        });
      }
      // The order socket: its own URL, else the private one with /private replaced by /trade (as the runtime).
      if (api === 'v5') out.trade = tradeUrl || (privateUrl ? privateUrl.replace('/private', '/trade') : undefined);
      // A custom v1 server serves bookTicker on the v2 path next to the v1 one.
      if (table.mainnet && table.mainnet.public2) out.public2 = pub ? pub.replace(/\/ws\/v1\b/, '/ws/v2') : undefined;
      return out;
    }
    var known = table[network] === undefined ? table.mainnet : table[network];
    // The runtime refuses the pair: demo trading and the regional hosts exist only on V5.
    if (known === null) return { error: 'demoV5Only' };
    var result = {};
    Object.keys(known).forEach(function (name) { result[name] = known[name]; });
    return result;
  }

  // ---- labels ------------------------------------------------------------------------

  /** "trade BTCUSDT,ETHUSDT"; long lists end in "+N" so the node stays readable. */
  function nodeLabel(channel, symbols) {
    var list = splitSymbols(symbols);
    if (!list.length) return channel;
    var shown = list.slice(0, LABEL_SYMBOLS).join(',');
    return channel + ' ' + shown + (list.length > LABEL_SYMBOLS ? ' +' + (list.length - LABEL_SYMBOLS) : '');
  }

  // ---- form rows ---------------------------------------------------------------------
  // Each row is HTML for the node's edit template. Shared texts use the full namespace;
  // keys without one (node-specific rows) are resolved in the node's own catalog by Node-RED.

  function rowLabel(id, icon, key) {
    return '<label for="' + id + '"><i class="fa ' + icon + '"></i> <span data-i18n="' + key + '"></span></label>';
  }

  function textRow(id, icon, key, attrs) {
    return '<div class="form-row">' + rowLabel(id, icon, key) + '<input type="text" id="' + id + '"' + (attrs || '') + '></div>';
  }

  function hintRow(cls) {
    return '<div class="form-row bybit-hint-row"><label></label><span class="bybit-hint ' + cls + '"></span></div>';
  }

  function selectRow(id, icon, key, options) {
    var html = '<div class="form-row">' + rowLabel(id, icon, key) + '<select id="' + id + '" style="width:70%">';
    options.forEach(function (o) { html += '<option value="' + o.value + '" data-i18n="' + o.key + '"></option>'; });
    return html + '</select></div>';
  }

  /** Properties that come with a row: a node that shows the row stores the property (set by start). */
  var ROW_DEFAULTS;

  function rowDefaults() {
    var depth = K.orderbookDepth;
    return {
      interval: { value: '1', validate: function (v) { return K.klineIntervals.indexOf(String(v)) !== -1; } },
      // The runtime takes any whole depth in its range (flows may set one); the dialog offers Bybit's streams.
      depth: { value: depth.default, validate: function (v) { var n = Number(v); return Number.isInteger(n) && n >= depth.min && n <= depth.max; } },
      closedOnly: { value: false },
      // Order guards: empty = no guard, else a positive number (the runtime's rule).
      maxQty: { value: '', validate: validateGuard },
      maxNotional: { value: '', validate: validateGuard }
    };
  }

  var ROWS = {
    connection: function () { return textRow('node-input-connection', 'fa-plug', NS + 'editor.label.connection'); },
    category: function (type, opts) {
      return selectRow('node-input-category', 'fa-sitemap', NS + 'editor.label.category', opts.categories.map(function (c) {
        return { value: c, key: NS + 'editor.category.' + c };
      }));
    },
    symbols: function (type, opts) {
      var placeholder = opts.symbolsOptional ? 'editor.placeholder.symbolsFilter' : 'editor.placeholder.symbols';
      return textRow('node-input-symbols', 'fa-tags', NS + (opts.symbolsOptional ? 'editor.label.symbolsFilter' : 'editor.label.symbols'),
        ' data-i18n="[placeholder]' + NS + placeholder + '" spellcheck="false" autocapitalize="characters" style="width:70%"') +
        hintRow('bybit-symbols-hint');
    },
    interval: function (type) {
      return selectRow('node-input-interval', 'fa-clock-o', type + '.label.interval', K.klineIntervals.map(function (v) {
        return { value: v, key: type + '.interval.' + v };
      }));
    },
    depth: function (type) {
      return selectRow('node-input-depth', 'fa-bars', type + '.label.depth', K.bookDepths.map(function (v) {
        return { value: String(v), key: type + '.depth.' + v };
      }));
    },
    closedOnly: function (type) {
      return '<div class="form-row"><label></label>' +
        '<input type="checkbox" id="node-input-closedOnly" style="display:inline-block; width:auto; vertical-align:top;"> ' +
        '<label for="node-input-closedOnly" style="width:auto" data-i18n="' + type + '.label.closedOnly"></label></div>';
    },
    maxQty: function (type) {
      return textRow('node-input-maxQty', 'fa-balance-scale', type + '.label.maxQty', ' data-i18n="[placeholder]' + type + '.placeholder.noGuard" style="width:150px"');
    },
    maxNotional: function (type) {
      return textRow('node-input-maxNotional', 'fa-money', type + '.label.maxNotional', ' data-i18n="[placeholder]' + type + '.placeholder.noGuard" style="width:150px"');
    },
    output: function () {
      return selectRow('node-input-output', 'fa-sign-out', NS + 'editor.label.output', [
        { value: 'normalized', key: NS + 'editor.output.normalized' },
        { value: 'raw', key: NS + 'editor.output.raw' }
      ]);
    },
    numbers: function () {
      return selectRow('node-input-numbers', 'fa-hashtag', NS + 'editor.label.numbers', [
        { value: 'number', key: NS + 'editor.numbers.number' },
        { value: 'string', key: NS + 'editor.numbers.string' }
      ]);
    },
    throttle: function () {
      return '<div class="form-row">' + rowLabel('node-input-throttle', 'fa-tachometer', NS + 'editor.label.throttle') +
        '<input type="text" id="node-input-throttle" style="width:100px"> <span data-i18n="' + NS + 'editor.unit.throttle"></span></div>';
    },
    name: function () { return textRow('node-input-name', 'fa-tag', NS + 'editor.label.name', ' data-i18n="[placeholder]' + NS + 'editor.label.name"'); },
    tip: function (type) { return '<div class="form-tips" data-i18n="[html]' + type + '.tip"></div>'; }
  };

  /**
   * Puts the generated form into the node's (empty) edit template. The template element
   * must stay in the HTML file: Node-RED learns the node's type names from it.
   */
  function installTemplate(type, html) {
    ensureStyle();
    var found = $('script[data-template-name="' + type + '"]');
    if (found.length) found.text(html);
    else $('<script type="text/html">').attr('data-template-name', type).text(html).appendTo('body');
  }

  // ---- symbols field behaviour -------------------------------------------------------

  /** Upper-cases as the user types (keeping the caret) and says at once what is wrong. */
  function watchSymbols(optional, type) {
    var input = $('#node-input-symbols');
    var hint = $('.bybit-symbols-hint');
    function check() {
      // ${NAME}: Node-RED puts the environment variable's value in at deploy.
      var bad = isEnvVar(input.val()) ? null : firstBadSymbol(input.val(), symbolRule(categoryOf(null), type));
      var count = splitSymbols(input.val()).length;
      input.toggleClass('input-error', bad !== null);
      hint.toggleClass('bybit-hint-error', bad !== null);
      if (bad !== null) hint.text(_('editor.errors.symbol', { symbol: bad }));
      else if (isEnvVar(input.val())) hint.text('');
      else if (!count) hint.text(_(optional ? 'editor.hint.allSymbols' : 'editor.hint.noSymbols'));
      else hint.text(_(optional ? 'editor.hint.filterSymbols' : 'editor.hint.symbols', { count: count }));
    }
    input.on('input', function (event) {
      var el = event.target;
      var upper = el.value.toUpperCase();
      if (upper !== el.value && el.value.indexOf('$') === -1) {
        var start = el.selectionStart;
        var end = el.selectionEnd;
        el.value = upper;
        el.setSelectionRange(start, end);
      }
      check();
    });
    input.on('change', check);
    check();
  }

  function tidySymbols() {
    var input = $('#node-input-symbols');
    if (input.length && !isEnvVar(input.val())) input.val(splitSymbols(input.val()).join(','));
  }

  // ---- symbol pick-list --------------------------------------------------------------
  // Suggestions from Bybit's instrument list, which the runtime fetches and caches
  // (GET bybit-ws/instruments). The field stays free text: without a list it only says so.

  var PICK_MAX = 50;
  var PICK_ROUTE = 'bybit-ws/instruments';
  var PICK_REASONS = ['unreachable', 'timeout', 'http', 'badResponse', 'tooLarge', 'rejected', 'badUrl', 'badRequest', 'forbidden'];

  /** The comma-separated entry the caret is in: {start, end, term} (term trimmed, upper-cased). */
  function symbolToken(text, caret) {
    text = String(text || '');
    if (caret === undefined || caret === null || caret > text.length) caret = text.length;
    var start = caret > 0 ? text.lastIndexOf(',', caret - 1) + 1 : 0;
    var end = text.indexOf(',', caret);
    if (end === -1) end = text.length;
    return { start: start, end: end, term: text.slice(start, end).trim().toUpperCase() };
  }

  /** The text with the entry at the caret replaced by `symbol`, and the caret just after it. */
  function replaceToken(text, caret, symbol) {
    var token = symbolToken(text, caret);
    text = String(text || '');
    var before = text.slice(0, token.start);
    // Keep the space a user typed after the comma: "BTCUSDT, ET" → "BTCUSDT, ETHUSDT".
    var lead = /^\s*/.exec(text.slice(token.start, token.end))[0];
    var head = before + lead + symbol;
    return { text: head + text.slice(token.end), caret: head.length };
  }

  /** Symbols starting with the term first, then those containing it; none already chosen. */
  function matchSymbols(symbols, term, chosen, max) {
    var starts = [];
    var contains = [];
    term = String(term || '').toUpperCase();
    if (!term) return [];
    for (var i = 0; i < (symbols || []).length && starts.length < max; i++) {
      var s = symbols[i];
      if (chosen && chosen.indexOf(s) !== -1) continue;
      var at = s.indexOf(term);
      if (at === 0) starts.push(s);
      else if (at > 0) contains.push(s);
    }
    return starts.concat(contains).slice(0, max);
  }

  /** The route's query for a connection (as the editor holds it, deployed or not), or null. */
  function listQuery(conn, category) {
    if (!conn || conn.type !== 'bybit-connection') return null;
    var q = { network: conn.network || 'mainnet', api: conn.api || 'v5', category: category || 'spot' };
    if (q.network === 'custom') q.publicUrl = conn.publicUrl || '';
    return q;
  }

  function failureReason(xhr) {
    var reason = xhr && xhr.responseJSON && xhr.responseJSON.reason;
    if (PICK_REASONS.indexOf(reason) !== -1) return reason;
    if (xhr && (xhr.status === 401 || xhr.status === 403)) return 'forbidden';
    return xhr && xhr.status ? 'http' : 'unreachable';
  }

  /** Loads the list for the dialog's current connection and category once per change of either. */
  function symbolListLoader(node, hint) {
    var state = { key: null, request: null, failed: false };
    function show(key, subs, error) {
      hint.toggleClass('bybit-hint-error', Boolean(error)).attr('data-state', key.split('.')[0]).text(_('editor.symbolList.' + key, subs));
    }
    /** `retry`: ask again after a failure (on focus; typing does not, so the hint does not flicker). */
    return function load(retry) {
      var category = $('#node-input-category').val() || node.category || 'spot';
      var q = listQuery(RED.nodes.node($('#node-input-connection').val()), category);
      var key = q ? $.param(q) : '';
      if (state.request && key === state.key && !(retry === true && state.failed)) return state.request;
      state.key = key;
      state.failed = false;
      if (!q) {
        show('noConnection');
        state.request = $.Deferred().resolve([]).promise();
        return state.request;
      }
      show('loading');
      state.request = $.getJSON(PICK_ROUTE, q).then(function (body) {
        var symbols = (body && body.symbols) || [];
        if (state.key === key) show(body.stale ? 'stale' : 'ready', { count: symbols.length, category: body.category || category });
        return symbols;
      }, function (xhr) {
        var reason = failureReason(xhr);
        if (state.key === key) {
          state.failed = true;
          show('unavailable', { reason: _('editor.symbolList.reason.' + reason) }, true);
        }
        return $.Deferred().resolve([]).promise();
      });
      return state.request;
    };
  }

  /** Adds suggestions to the symbols field (jQuery UI autocomplete, which every Node-RED editor ships). */
  function attachSymbolPicker(node) {
    var input = $('#node-input-symbols');
    if (!input.length || typeof input.autocomplete !== 'function') return;
    var hint = $('<span class="bybit-hint bybit-symbols-list"></span>');
    $('<div class="form-row bybit-hint-row"><label></label></div>').append(hint).insertAfter($('.bybit-symbols-hint').closest('.form-row'));
    if (!$('#bybit-symbols-menu-style').length) {
      // The menu above the edit tray (jQuery UI puts it at the end of <body>); the hint wraps under itself.
      $('<style id="bybit-symbols-menu-style">').text('.bybit-symbols-menu { z-index: 1000; max-height: 220px; font-family: monospace; }' +
        '.bybit-symbols-list { display: inline-block; width: 70%; vertical-align: top; }').appendTo('head');
    }
    var load = symbolListLoader(node, hint);
    var token = null;
    input.autocomplete({
      minLength: 1,
      delay: 100,
      classes: { 'ui-autocomplete': 'bybit-symbols-menu' },
      source: function (request, response) {
        var el = input[0];
        if (isEnvVar(el.value)) return response([]);
        token = { caret: el.selectionStart };
        var term = symbolToken(el.value, token.caret).term;
        if (!term) return response([]);
        load().then(function (symbols) { response(matchSymbols(symbols, term, splitSymbols(el.value), PICK_MAX)); });
      },
      // Arrow keys move through the menu without rewriting the field; only a pick does.
      focus: function () { return false; },
      select: function (event, ui) {
        var el = input[0];
        var next = replaceToken(el.value, token ? token.caret : el.value.length, ui.item.value);
        el.value = next.text;
        el.setSelectionRange(next.caret, next.caret);
        input.trigger('change');
        return false;
      }
    });
    // A connection edited from this dialog (the pencil) changes what to ask for.
    $('#node-input-connection, #node-input-category').on('change', function () { load(); });
    input.on('focus', function () { load(true); });
    load();
  }

  // ---- palette nodes -----------------------------------------------------------------
  // Each node's HTML keeps its definition literal (category, colour, icon, ports: what
  // Node-RED's tools read) and takes its fields and behaviour from here.

  /** Per type: which symbols field it has ('list', 'filter' or none) and its extra rows. */
  var FORMS = {};

  /**
   * The node's properties (Node-RED `defaults`); also builds its edit form. opts.symbols:
   * 'list' (public nodes, default), 'filter' (optional private filter) or false (none);
   * opts.rows: extra rows after the symbols, each with its property: 'interval', 'depth',
   * 'closedOnly'.
   */
  function fields(type, opts) {
    opts = opts || {};
    var symbols = opts.symbols === undefined ? 'list' : opts.symbols;
    var extra = opts.rows || [];
    var categories = opts.categories || null;
    FORMS[type] = { symbols: symbols, rows: extra, categories: categories };
    var defaults = {
      name: { value: '' },
      connection: { value: '', type: 'bybit-connection' }
    };
    if (categories) defaults.category = { value: categories[0], validate: function (v) { return v === undefined || v === '' || categories.indexOf(v) !== -1; } };
    if (symbols) defaults.symbols = { value: symbols === 'filter' ? '' : 'BTCUSDT', validate: validateSymbols };
    extra.forEach(function (r) { defaults[r] = ROW_DEFAULTS[r]; });
    // opts.noOutput: a node whose msg out is a reply (order entry) has no output format, numbers or throttle.
    if (!opts.noOutput) {
      defaults.output = { value: 'normalized' };
      defaults.numbers = { value: 'number' };
      defaults.throttle = { value: 0, validate: validateThrottle };
    }

    var rows = ['connection'].concat(categories ? ['category'] : [], symbols ? ['symbols'] : [], extra, opts.noOutput ? ['name', 'tip'] : ['output', 'numbers', 'throttle', 'name', 'tip']);
    installTemplate(type, rows.map(function (r) { return ROWS[r](type, { symbolsOptional: symbols === 'filter', categories: categories }); }).join('\n'));
    return defaults;
  }

  /** The channel word of a node type, as in msg.topic and the palette: "trade", "kline". */
  function channelOf(type) { return type.replace(/^bybit-/, ''); }

  /** Node label: "trade BTCUSDT,ETHUSDT", "kline 5 BTCUSDT", "orderbook 50 BTCUSDT", "order". */
  function paletteNodeLabel() {
    if (this.name) return this.name;
    var channel = channelOf(this.type);
    if (this.interval !== undefined) channel += ' ' + this.interval;
    if (this.depth !== undefined) channel += ' ' + this.depth;
    return nodeLabel(channel, this.symbols);
  }

  function labelStyle() { return this.name ? 'node_label_italic' : ''; }

  function inputLabels() { return _('editor.port.input'); }

  function outputLabels() { return channelOf(this.type); }

  /** The depths the dialog offers follow the category (option books: 25 or 100). */
  function followCategory(node) {
    var depth = $('#node-input-depth');
    if (!depth.length || !K.bookDepthsByCategory) return;
    var depths = K.bookDepthsByCategory[categoryOf(node)] || K.bookDepths;
    var current = Number(depth.val());
    depth.empty();
    depths.forEach(function (d) { $('<option>').val(String(d)).text(_('editor.depthLevels', { depth: d })).appendTo(depth); });
    depth.val(String(depths.indexOf(current) !== -1 ? current : depths[0]));
  }

  function oneditprepare() {
    var form = FORMS[this.type] || {};
    var follow = followCategory.bind(null, this);
    if (form.categories && !$('#node-input-category').val()) $('#node-input-category').val(form.categories[0]);
    if (categoryOf(this) !== 'spot') follow();
    $('#node-input-category').on('change', function () {
      follow();
      $('#node-input-symbols').trigger('input');
    });
    if (form.symbols) watchSymbols(form.symbols === 'filter', this.type);
    if (form.symbols) attachSymbolPicker(this);
    var depth = $('#node-input-depth');
    if (depth.length && this.depth !== undefined && this.depth !== '' && K.bookDepths.indexOf(Number(this.depth)) === -1) {
      $('<option>').val(String(this.depth)).text(String(this.depth)).appendTo(depth);
      depth.val(String(this.depth));
    }
    // Nodes from flows written before a property existed: show what the runtime will use.
    if (!$('#node-input-output').val()) $('#node-input-output').val('normalized');
    if (!$('#node-input-numbers').val()) $('#node-input-numbers').val('number');
    if ($('#node-input-throttle').val() === '') $('#node-input-throttle').val(0);
    if ($('#node-input-interval').length && !$('#node-input-interval').val()) $('#node-input-interval').val(ROW_DEFAULTS.interval.value);
    if (depth.length && !depth.val()) depth.val(String(ROW_DEFAULTS.depth.value));
    $('#node-input-throttle').spinner({ min: 0, max: K.throttleMaxMs, step: 100 });
  }

  function oneditsave() { tidySymbols(); }

  /** A whole definition, for HTML written against the first editor API. */
  function definition(type, opts) {
    return {
      category: 'bybit', color: '#F7A600', icon: ICONS[opts.channel], inputs: 1, outputs: 1, paletteLabel: opts.channel,
      defaults: fields(type, opts),
      label: paletteNodeLabel, labelStyle: labelStyle, inputLabels: inputLabels, outputLabels: outputLabels,
      oneditprepare: oneditprepare, oneditsave: oneditsave
    };
  }

  function registerMarketNode(type, opts) {
    var rows = ['interval', 'depth', 'closedOnly'].filter(function (r) { return opts.defaults && r in opts.defaults; });
    RED.nodes.registerType(type, definition(type, { channel: opts.channel, rows: rows }));
  }

  function registerPrivateNode(type, opts) {
    RED.nodes.registerType(type, definition(type, { channel: opts.channel, symbols: opts.symbolsFilter ? 'filter' : false }));
  }

  // ---- the config node ---------------------------------------------------------------

  function connectionTemplate() {
    var C = 'node-config-input-';
    function opt(group, v) { return { value: v, key: NS + 'bybit-connection.' + group + '.' + v }; }
    return [
      textRow(C + 'name', 'fa-tag', NS + 'bybit-connection.label.name'),
      selectRow(C + 'network', 'fa-globe', NS + 'bybit-connection.label.network', K.networks.map(function (v) { return opt('network', v); })),
      selectRow(C + 'api', 'fa-code', NS + 'bybit-connection.label.api', K.apis.map(function (v) { return opt('api', v); })),
      '<div class="bybit-custom-rows">',
      textRow(C + 'publicUrl', 'fa-link', NS + 'bybit-connection.label.publicUrl', ' placeholder="ws://127.0.0.1:8765/v5/public/spot" spellcheck="false" style="width:70%"'),
      textRow(C + 'privateUrl', 'fa-link', NS + 'bybit-connection.label.privateUrl', ' placeholder="ws://127.0.0.1:8765/v5/private" spellcheck="false" style="width:70%"'),
      textRow(C + 'tradeUrl', 'fa-link', NS + 'bybit-connection.label.tradeUrl', ' placeholder="ws://127.0.0.1:8765/v5/trade" spellcheck="false" style="width:70%"'),
      '</div>',
      '<div class="form-row"><label><i class="fa fa-exchange"></i> <span data-i18n="' + NS + 'bybit-connection.label.endpoints"></span></label>' +
        '<div class="bybit-endpoints" style="display:inline-block; width:70%; vertical-align:top; font-family:monospace; font-size:0.9em; word-break:break-all"></div></div>',
      '<div class="form-row">' + rowLabel(C + 'pingInterval', 'fa-heartbeat', NS + 'bybit-connection.label.pingInterval') +
        '<input type="text" id="' + C + 'pingInterval" style="width:80px"> <span data-i18n="' + NS + 'bybit-connection.label.seconds"></span></div>',
      '<hr>',
      textRow(C + 'apiKey', 'fa-key', NS + 'bybit-connection.label.apiKey', ' spellcheck="false" style="width:70%"'),
      '<div class="form-row">' + rowLabel(C + 'apiSecret', 'fa-lock', NS + 'bybit-connection.label.apiSecret') +
        '<input type="password" id="' + C + 'apiSecret" style="width:70%"></div>',
      '<div class="form-tips" data-i18n="[html]' + NS + 'bybit-connection.tip"></div>',
      '<div class="form-row"><label></label>' +
        '<input type="checkbox" id="' + C + 'allowOrders" style="display:inline-block; width:auto; vertical-align:top;"> ' +
        '<label for="' + C + 'allowOrders" style="width:auto" data-i18n="' + NS + 'bybit-connection.label.allowOrders"></label></div>',
      '<div class="form-tips bybit-orders-warning" data-i18n="[html]' + NS + 'bybit-connection.ordersWarning"></div>'
    ].join('\n');
  }

  function showEndpoints() {
    var network = $('#node-config-input-network').val();
    var api = $('#node-config-input-api').val();
    $('.bybit-custom-rows').toggle(network === 'custom');
    var eps = endpoints(network, api, $('#node-config-input-publicUrl').val().trim(), $('#node-config-input-privateUrl').val().trim(),
      ($('#node-config-input-tradeUrl').val() || '').trim());
    if (api === 'v5' && network === 'demo') eps.trade = undefined;
    var box = $('.bybit-endpoints').empty();
    if (eps.error) {
      $('<div class="bybit-hint-error">').text(_('bybit-connection.endpoint.' + eps.error)).appendTo(box);
      return;
    }
    ['public', 'public2', 'private', 'trade'].forEach(function (name) {
      if (!(name in eps)) return;
      var row = $('<div class="bybit-endpoint">').attr('data-endpoint', name).appendTo(box);
      $('<span style="opacity:0.7">').text(_('bybit-connection.endpoint.' + name) + ': ').appendTo(row);
      var none = name === 'trade' && network === 'demo' ? 'demoNoTrade' : 'none';
      $('<span class="bybit-endpoint-url">').text(eps[name] || _('bybit-connection.endpoint.' + none)).appendTo(row);
    });
  }

  /** The config node's properties (Node-RED `defaults`); also builds its edit form. */
  function connectionFields() {
    installTemplate('bybit-connection', connectionTemplate());
    return {
      name: { value: '' },
      network: { value: 'mainnet' },
      api: {
        value: 'v5',
        // Demo trading and the regional hosts exist only on V5; the runtime refuses the combination too.
        validate: function (v, opt) {
          var select = $('#node-config-input-network');
          var network = select.length ? select.val() : this.network;
          if (!(K.endpoints[v] && K.endpoints[v][network] === null)) return true;
          return opt ? _('bybit-connection.endpoint.demoV5Only') : false;
        }
      },
      publicUrl: { value: '', validate: validateUrl },
      privateUrl: { value: '', validate: validateUrl },
      tradeUrl: { value: '', validate: validateUrl },
      // Off by default: no order node sends anything until this is ticked on purpose.
      allowOrders: { value: false },
      pingInterval: { value: K.pingInterval.default, validate: validatePing }
    };
  }

  function connectionLabel() {
    if (this.name) return this.name;
    var where = this.network === 'custom' ? (this.publicUrl || this.privateUrl || 'custom') : this.network;
    return 'bybit ' + where + ' (' + this.api + ')';
  }

  function connectionEditPrepare() {
    $('#node-config-input-pingInterval').spinner({ min: K.pingInterval.min, max: K.pingInterval.max });
    $('#node-config-input-network, #node-config-input-api').on('change', showEndpoints);
    $('#node-config-input-publicUrl, #node-config-input-privateUrl, #node-config-input-tradeUrl').on('input change', showEndpoints);
    showEndpoints();
  }

  function start(constants) {
    K = constants;
    SYMBOL = new RegExp(K.symbolPattern.source, K.symbolPattern.flags);
    DERIVATIVE = K.derivativeSymbolPattern ? new RegExp(K.derivativeSymbolPattern.source, K.derivativeSymbolPattern.flags) : SYMBOL;
    ROW_DEFAULTS = rowDefaults();
    window.BybitEditor = editorApi();
  }

  /** What the nodes' HTML uses (window.BybitEditor). */
  function editorApi() {
    return {
      fields: fields,
      label: paletteNodeLabel,
      labelStyle: labelStyle,
      inputLabels: inputLabels,
      outputLabels: outputLabels,
      oneditprepare: oneditprepare,
      oneditsave: oneditsave,
      connectionFields: connectionFields,
      connectionLabel: connectionLabel,
      connectionEditPrepare: connectionEditPrepare,
      // The first editor API, kept so HTML written against it keeps working.
      registerMarketNode: registerMarketNode,
      registerPrivateNode: registerPrivateNode,
      endpoints: endpoints,
      splitSymbols: splitSymbols,
      firstBadSymbol: firstBadSymbol,
      nodeLabel: nodeLabel,
      symbolPicker: { token: symbolToken, replace: replaceToken, match: matchSymbols, query: listQuery }
    };
  }

  // Node-RED loads a node's scripts in parallel, so either file may run first: whichever
  // runs second starts the editor code.
  if (window.BybitEditorConstants) start(window.BybitEditorConstants);
  else window.BybitEditorStart = start;
})();
