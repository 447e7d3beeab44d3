/* helpsite's search over Pagefind (helpsite_search = "pagefind", docs/reader-features.md).

   window.helpsiteSearch(query, limit = 10) -> Promise<[{url, title, excerpt}]> queries this
   locale's own index (<locale>/pagefind/, next to _static/) and nothing else; the search
   benchmark calls exactly this function. On search.html the results of ?q= are shown in
   Sphinx's layout (#search-results, .search-summary, ul.search) with Sphinx's texts in the
   reader's language (translations.js, repaired by helpsite.sphinx.searchpage).

   The query is prepared as helpsite.search.pagefind prepared the pages: Arabic and Hebrew
   marks removed, Chinese, Japanese and Thai split into words by Intl.Segmenter (ICU, as the
   indexer's PyICU). No inline handlers, no third-party service, no HTML from the index is
   inserted as HTML (excerpts are rebuilt from their text and <mark> elements). */
(() => {
  "use strict";
  const script = document.currentScript;
  const bundle = new URL("../pagefind/pagefind.js", script ? script.src : location.href).href;
  const primary = (document.documentElement.lang || "").toLowerCase().split("-")[0];
  const SEGMENTED = ["zh", "ja", "th"];
  const MARKS = {
    ar: /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g,
    he: /[\u0591-\u05bd\u05bf-\u05c7]/g,
  };
  let engine = null;

  const load = () => {
    engine = engine || import(bundle);
    return engine;
  };

  /* The query as the pages were indexed (helpsite.search.pagefind.prepared). */
  const prepareQuery = (query) => {
    let text = String(query || "");
    if (MARKS[primary]) text = text.replace(MARKS[primary], "");
    if (primary === "ar") {
      text = text.replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
        .replace(/(^|[^\p{L}\p{N}_])[\u0648\u0641](?=\u0627\u0644[\p{L}\p{N}_])/gu, "$1");
    }
    if (SEGMENTED.includes(primary) && typeof Intl.Segmenter === "function") {
      const words = new Intl.Segmenter(primary, { granularity: "word" }).segment(text);
      text = Array.from(words).filter((s) => s.isWordLike).map((s) => s.segment).join(" ");
    }
    return text.trim();
  };

  /* The indexer's word separator (U+3000) out of titles and excerpts. */
  const clean = (text) => String(text || "").replace(/\u3000/g, "");

  const search = async (query, limit = 10) => {
    const prepared = prepareQuery(query);
    if (!prepared) return { total: 0, results: [] };
    const pagefind = await load();
    const found = await pagefind.search(prepared);
    const data = await Promise.all(found.results.slice(0, limit).map((r) => r.data()));
    const results = data.map((d) => ({
      url: d.url,
      title: clean((d.meta && d.meta.title) || d.url),
      excerpt: clean(d.excerpt),
    }));
    return { total: found.results.length, results };
  };

  window.helpsiteSearch = async (query, limit = 10) => (await search(query, limit)).results;
  window.helpsitePrepareQuery = prepareQuery;

  /* doctools.js declares Documentation with const: a global binding, not window's. */
  const docs = () => (typeof Documentation === "undefined" ? null : Documentation);
  const gettext = (text) => (docs() ? docs().gettext(text) : text);
  const ngettext = (one, many, n) => (docs() ? docs().ngettext(one, many, n)
    : n === 1 ? one : many);

  /* The excerpt's text with its <mark> elements, rebuilt as DOM nodes. */
  const excerptNode = (excerpt) => {
    const parsed = new DOMParser().parseFromString(excerpt, "text/html");
    const paragraph = document.createElement("p");
    paragraph.className = "context";
    parsed.body.childNodes.forEach((node) => {
      if (node.nodeName === "MARK") {
        paragraph.appendChild(document.createElement("mark")).textContent = node.textContent;
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  };

  const show = async (out, query) => {
    const title = out.appendChild(document.createElement("h2"));
    title.textContent = gettext("Searching");
    const summary = out.appendChild(document.createElement("p"));
    summary.className = "search-summary";
    const list = out.appendChild(document.createElement("ul"));
    list.className = "search";
    list.setAttribute("role", "list");
    const { total, results } = await search(query, 50);
    for (const result of results) {
      const item = list.appendChild(document.createElement("li"));
      item.className = "kind-text";
      const link = item.appendChild(document.createElement("a"));
      link.href = result.url;
      link.textContent = result.title;
      item.appendChild(excerptNode(result.excerpt));
    }
    title.textContent = gettext("Search Results");
    summary.textContent = total
      ? ngettext("Search finished, found one page matching the search query.",
                 "Search finished, found ${resultCount} pages matching the search query.",
                 total).replace("${resultCount}", String(total))
      : gettext("Your search did not match any documents. Please make sure that all words " +
                "are spelled correctly and that you've selected enough categories.");
  };

  const start = () => {
    const out = document.getElementById("search-results");
    const query = new URLSearchParams(location.search).get("q") || "";
    document.querySelectorAll('form[role="search"] input[name="q"]').forEach((input) => {
      input.value = query;
    });
    if (out && out.dataset.engine === "pagefind" && query.trim()) {
      show(out, query).catch((error) => {
        out.textContent = String(error);
      });
    }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
