// The SPARQL editor: runs the query against this server's /sparql endpoint and shows the result as a table.
// Without JavaScript the form still works (the server renders the result). Data is put into the page with
// textContent only, never as HTML.
"use strict";

(function () {
  const form = document.getElementById("query-form");
  if (!form) return;
  const endpoint = form.dataset.endpoint;
  const base = form.dataset.base || "";
  const root = form.dataset.root || "";
  const textarea = document.getElementById("query");
  const examples = document.getElementById("examples");
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const download = document.getElementById("download");
  const run = document.getElementById("run");

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function setDownload(query, kind) {
    const params = new URLSearchParams({ query: query, format: kind === "graph" ? "ttl" : "csv" });
    download.href = endpoint + "?" + params.toString();
    download.setAttribute("download", kind === "graph" ? "results.ttl" : "results.csv");
    download.textContent = kind === "graph" ? "Download Turtle · Descargar Turtle" : "Download CSV · Descargar CSV";
  }

  function localHref(iri) {
    if (base && iri.startsWith(base) && iri.length > base.length) return root + "/" + iri.slice(base.length);
    if (/^https?:\/\//.test(iri)) return iri;
    return null;
  }

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const target = localHref(term.value);
      td.appendChild(target ? el("a", term.value, { href: target }) : el("span", term.value));
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) {
        td.setAttribute("lang", term["xml:lang"]);
        td.appendChild(el("span", " @" + term["xml:lang"], { class: "tag" }));
      }
      if (term.datatype && /#(integer|decimal|double|float|int|long)$/.test(term.datatype)) td.className = "num";
    }
    return td;
  }

  function renderTable(data, ms) {
    const vars = data.head && data.head.vars ? data.head.vars : [];
    const rows = data.results ? data.results.bindings : [];
    const table = el("table", null, { class: "results" });
    const head = el("tr");
    vars.forEach((v) => head.appendChild(el("th", v, { scope: "col" })));
    table.appendChild(el("thead")).appendChild(head);
    const body = el("tbody");
    rows.forEach((b) => {
      const tr = el("tr");
      vars.forEach((v) => tr.appendChild(cell(b[v])));
      body.appendChild(tr);
    });
    table.appendChild(body);
    const wrap = el("div", null, { class: "scroll" });
    wrap.appendChild(table);
    const count = rows.length + (rows.length === 1 ? " row · fila" : " rows · filas");
    results.replaceChildren(el("p", count + " (" + ms + " ms)", { class: "count" }), wrap);
  }

  async function execute(event) {
    if (event) event.preventDefault();
    const query = textarea.value;
    if (!query.trim()) return;
    run.disabled = true;
    status.textContent = "Running… · Ejecutando…";
    const started = performance.now();
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query: query }).toString(),
      });
      const ms = Math.round(performance.now() - started);
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        results.replaceChildren(el("pre", await response.text(), { class: "error", role: "alert" }));
        status.textContent = "Error " + response.status;
        return;
      }
      if (type.startsWith("application/sparql-results+json")) {
        const data = await response.json();
        if (typeof data.boolean === "boolean") {
          results.replaceChildren(el("p", String(data.boolean), { class: "answer" }));
        } else {
          renderTable(data, ms);
        }
        setDownload(query, "solutions");
      } else {
        results.replaceChildren(el("pre", await response.text(), { class: "graph" }));
        setDownload(query, "graph");
      }
      status.textContent = "";
      history.replaceState(null, "", "?" + new URLSearchParams({ query: query }).toString());
    } catch (err) {
      results.replaceChildren(el("pre", "The request failed · La solicitud falló: " + err, { class: "error" }));
      status.textContent = "";
    } finally {
      run.disabled = false;
    }
  }

  examples.addEventListener("change", () => {
    const option = examples.selectedOptions[0];
    if (option && option.dataset.query) {
      textarea.value = option.dataset.query;
      setDownload(textarea.value, kindOf(textarea.value));
    }
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) execute(event);
  });
  // A guess from the text until the query runs (the answer's type then decides): graphs download as Turtle.
  function kindOf(query) {
    const code = query.replace(/#[^\n]*/g, " ").replace(/<[^>\s]*>/g, " ").replace(/"[^"\n]*"|'[^'\n]*'/g, " ");
    return /\b(CONSTRUCT|DESCRIBE)\b/i.test(code) ? "graph" : "solutions";
  }
  textarea.addEventListener("input", () => setDownload(textarea.value, kindOf(textarea.value)));
  setDownload(textarea.value, kindOf(textarea.value));
  form.addEventListener("submit", execute);
})();
