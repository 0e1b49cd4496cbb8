/* Editor code shared by every bybit node: common defaults, validation and labels,
 * so each node's HTML only adds what is particular to it. Loaded once per editor. */
(function () {
  'use strict';
  if (window.BybitEditor) return;
  var SYMBOL = /^[A-Z0-9]{2,30}$/;
  var NS = 'node-red-contrib-bybit-ws/bybit-connection:';

  function splitSymbols(text) {
    return String(text || '').split(',').map(function (s) { return s.trim().toUpperCase(); }).filter(Boolean);
  }

  function validSymbols(text) {
    return splitSymbols(text).every(function (s) { return SYMBOL.test(s); });
  }

  function validThrottle(v) {
    var n = Number(v);
    return v === '' || v === undefined || (Number.isFinite(n) && n >= 0 && n <= 3600000);
  }

  /** Registers a market (public) node type with the defaults every one shares. */
  function registerMarketNode(type, opts) {
    var defaults = {
      name: { value: '' },
      connection: { value: '', type: 'bybit-connection' },
      symbols: { value: 'BTCUSDT', validate: validSymbols },
      output: { value: 'normalized' },
      throttle: { value: 0, validate: validThrottle }
    };
    Object.keys(opts.defaults || {}).forEach(function (k) { defaults[k] = opts.defaults[k]; });
    RED.nodes.registerType(type, {
      category: 'bybit',
      color: opts.color || '#F7A600',
      defaults: defaults,
      inputs: 1,
      outputs: 1,
      icon: opts.icon || 'bybit.svg',
      paletteLabel: opts.paletteLabel || opts.channel,
      label: function () {
        return this.name || (opts.labelPrefix ? opts.labelPrefix(this) : opts.channel) + (this.symbols ? ' ' + splitSymbols(this.symbols).join(',') : '');
      },
      labelStyle: function () { return this.name ? 'node_label_italic' : ''; },
      oneditprepare: function () {
        // Upper-case and tidy the symbol list as the user types.
        $('#node-input-symbols').on('change', function () {
          $(this).val(splitSymbols($(this).val()).join(','));
        });
        $('#node-input-throttle').spinner({ min: 0 });
        if (opts.oneditprepare) opts.oneditprepare.call(this);
      }
    });
  }

  window.BybitEditor = { registerMarketNode: registerMarketNode, splitSymbols: splitSymbols, validSymbols: validSymbols, NS: NS };
})();
