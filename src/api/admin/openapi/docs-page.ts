/**
 * GET /docs: one self-contained HTML page (no CDN, works offline) that loads /openapi.json and
 * lists every route by tag, with its access, parameters, body and answers.
 */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>APIProxy API</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem 1.5rem 4rem; color: #1d2430; }
  h1 { margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #d8dee8; }
  code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
  pre { background: #f5f7fa; padding: .6rem .8rem; overflow: auto; border-radius: 4px; }
  details { border: 1px solid #d8dee8; border-radius: 4px; margin: .35rem 0; }
  summary { cursor: pointer; padding: .4rem .6rem; list-style: none; display: flex; gap: .6rem; align-items: baseline; }
  details[open] summary { border-bottom: 1px solid #d8dee8; }
  .body { padding: .4rem .8rem .8rem; }
  .m { font-weight: 700; width: 4.2rem; flex: none; font-family: ui-monospace, monospace; }
  .GET { color: #1f6feb; } .POST { color: #1a7f37; } .PUT, .PATCH { color: #9a6700; } .DELETE { color: #cf222e; }
  .path { font-family: ui-monospace, monospace; } .sum { color: #57606a; flex: 1; }
  .badge { font-size: 12px; padding: 0 .45rem; border-radius: 10px; background: #eaeef2; white-space: nowrap; }
  .admin { background: #ffebe9; } .user { background: #fff8c5; } .public { background: #dafbe1; } .client-key { background: #ddf4ff; }
  table { border-collapse: collapse; margin: .3rem 0; } td, th { text-align: left; padding: .15rem .6rem .15rem 0; vertical-align: top; }
  #filter { width: 100%; padding: .45rem; font-size: 15px; margin: 1rem 0 .5rem; box-sizing: border-box; }
</style>
</head>
<body>
<h1 id="title">APIProxy API</h1>
<div id="intro"></div>
<p>Machine-readable: <a href="openapi.json">/openapi.json</a> (OpenAPI 3.1). Management routes take
<code>Authorization: Bearer &lt;access token from POST /auth/login&gt;</code> (or the ADMIN_API_KEY); inference
routes take a client API key. Errors look like <code>{"error": {"message", "type", "param", "code"}}</code>.</p>
<input id="filter" placeholder="Filter routes (path, summary, tag, access)…" autofocus>
<div id="routes">Loading…</div>
<script>
(function () {
  var esc = function (s) { return String(s).replace(/[&<>"']/g, function (c) { return ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]; }); };
  var json = function (v) { return '<pre>' + esc(JSON.stringify(v, null, 2)) + '</pre>'; };
  function op(method, path, o) {
    var access = o['x-apiproxy-access'] || 'unspecified';
    var h = '<details data-text="' + esc((method + ' ' + path + ' ' + (o.summary || '') + ' ' + (o.tags || []).join(' ') + ' ' + access).toLowerCase()) + '">';
    h += '<summary><span class="m ' + method.toUpperCase() + '">' + method.toUpperCase() + '</span><span class="path">' + esc(path) + '</span>';
    h += '<span class="sum">' + esc(o.summary || '') + '</span><span class="badge ' + esc(access) + '">' + esc(access) + '</span></summary><div class="body">';
    if (o.description) h += '<p>' + esc(o.description) + '</p>';
    if (o.parameters && o.parameters.length) {
      h += '<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th></th></tr>';
      o.parameters.forEach(function (p) {
        var t = p.schema && (p.schema.type || (p.schema.enum ? 'enum: ' + p.schema.enum.join(' | ') : '')) || '';
        h += '<tr><td><code>' + esc(p.name) + '</code>' + (p.required ? ' *' : '') + '</td><td>' + esc(p.in) + '</td><td>' + esc(t) + '</td><td>' + esc(p.description || '') + '</td></tr>';
      });
      h += '</table>';
    }
    if (o.requestBody) h += '<h4>Request body' + (o.requestBody.required ? '' : ' (optional)') + '</h4>' + json(o.requestBody.content['application/json'].schema);
    Object.keys(o.responses || {}).forEach(function (code) {
      if (code === 'default') return;
      var r = o.responses[code];
      h += '<h4>' + esc(code) + ' ' + esc(r.description || '') + '</h4>';
      if (r.content) h += json(r.content['application/json'].schema);
    });
    return h + '</div></details>';
  }
  fetch('openapi.json').then(function (r) { return r.json(); }).then(function (doc) {
    document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
    if (doc.info.description) document.getElementById('intro').innerHTML = '<p>' + esc(doc.info.description) + '</p>';
    var byTag = {};
    Object.keys(doc.paths).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        var o = doc.paths[path][method];
        var tag = (o.tags && o.tags[0]) || 'Other';
        (byTag[tag] = byTag[tag] || []).push(op(method, path, o));
      });
    });
    document.getElementById('routes').innerHTML = Object.keys(byTag).sort().map(function (tag) {
      return '<section><h2>' + esc(tag) + '</h2>' + byTag[tag].join('') + '</section>';
    }).join('');
  }).catch(function (e) { document.getElementById('routes').textContent = 'Could not load openapi.json: ' + e; });
  document.getElementById('filter').addEventListener('input', function (e) {
    var q = e.target.value.toLowerCase();
    document.querySelectorAll('details').forEach(function (d) { d.style.display = d.getAttribute('data-text').indexOf(q) >= 0 ? '' : 'none'; });
    document.querySelectorAll('section').forEach(function (s) {
      s.style.display = Array.prototype.some.call(s.querySelectorAll('details'), function (d) { return d.style.display !== 'none'; }) ? '' : 'none';
    });
  });
})();
</script>
</body>
</html>
`;
