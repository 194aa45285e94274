// Applies the saved theme and language before the console renders (no flash of the wrong theme).
(function () {
  try {
    var t = localStorage.getItem('apiproxy.theme');
    if (t === 'light' || t === 'dark') document.documentElement.setAttribute('data-theme', t);
    var l = localStorage.getItem('apiproxy.lang');
    if (l === 'zh' || l === 'en') document.documentElement.setAttribute('lang', l === 'zh' ? 'zh-CN' : 'en');
  } catch (e) {
    /* storage unavailable: follow the system */
  }
})();
