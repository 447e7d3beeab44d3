/* helpsite's search over Pagefind (helpsite_search = "pagefind", docs/reader-features.md).

   window.helpsiteSearch(query, limit = 10) -> Promise<[{url, title, excerpt}]> queries this
   locale's own index (<locale>/pagefind/, next to _static/) and nothing else; the search
   benchmark calls exactly this function. On search.html the results of ?q= are shown in
   Sphinx's layout (#search-results, .search-summary, ul.search) with Sphinx's texts in the
   reader's language (translations.js, repaired by helpsite.sphinx.searchpage).

   The query is prepared as helpsite.search.pagefind prepared the pages: Arabic and Hebrew
   marks removed, Japanese and Thai split into words by Intl.Segmenter (ICU, as the
   indexer's PyICU), Chinese Han runs as overlapping character pairs (han_bigrams), French,
   Italian and Catalan elided articles dropped (the index has them apart: "l’ adresse").
   Titles and excerpts are given back as written: pairs joined again, no space after an
   elision, no U+3000. No inline handlers, no third-party service, no HTML from the index is
   inserted as HTML (excerpts are rebuilt from their text and <mark> elements). */
(() => {
  "use strict";
  const script = document.currentScript;
  const bundle = new URL("../pagefind/pagefind.js", script ? script.src : location.href).href;
  const primary = (document.documentElement.lang || "").toLowerCase().split("-")[0];
  const SEGMENTED = ["ja", "th"];
  const BIGRAMMED = ["zh"];
  /* Split here, indexed under "und" (helpsite.search.pagefind.index_language). */
  const OWN_WORDS = [...SEGMENTED, ...BIGRAMMED];
  const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  const HAN_RUNS = new RegExp(`[${HAN}]+`, "gu");
  const HAN_PAIR = new RegExp(`^[${HAN}]{2}$`, "u");
  const HAN_WORD = new RegExp(`^[${HAN}]{1,2}$`, "u");
  /* Han, CJK punctuation and full-width forms: no space between two of them. */
  const CJK = new RegExp(`[${HAN}\\u3000-\\u303f\\uff00-\\uffef]`, "u");
  /* helpsite.search.pagefind._ELIDED: articles and pronouns written onto the next word. */
  const ELIDED = {
    fr: "c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu|quoiqu|presqu|quelqu",
    it: "l|un|d|c|m|t|s|v|n|dell|all|dall|nell|sull|coll|quell|quest|nessun|tutt",
    ca: "l|d|s|m|t|n",
  };
  const elided = ELIDED[primary];
  const alone = elided && elided.split("|").filter((f) => f !== "un").join("|");
  const START = "(?<![\\p{L}\\p{N}_\\u2019'])";
  /* In the query: elided forms with their apostrophe, or alone ("l adresse"). */
  const ELIDED_WORDS = elided && new RegExp(
    `${START}(?:(?:${elided})[\\u2019'](?=[\\p{L}\\p{N}_])|(?:${alone})(?=\\s|$))`, "giu");
  /* In titles and excerpts: the space the indexer put after an elision. */
  const ELISION_SPACE = elided && new RegExp(
    `${START}((?:${elided})[\\u2019'](?:</mark>)?) (?=(?:<mark>)?[\\p{L}\\p{N}_])`, "giu");
  /* Chinese excerpts are short in pairs (Pagefind counts 30 words by default). */
  const EXCERPT_WORDS = 60;
  const MARKS = {
    ar: /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g,
    he: /[\u0591-\u05bd\u05bf-\u05c7]/g,
  };
  let engine = null;

  /* Pagefind takes its language from <html lang> when it starts and, for zh, ja and th,
     splits the query again with Intl.Segmenter: Chinese pairs not in ICU's dictionary
     (初于) would become single characters, each matching any pair it begins. So the
     indexes of the languages split here (Chinese pairs, Japanese and Thai ICU words) are
     started under their own language ("und", helpsite.search.pagefind.index_language):
     <html lang> is swapped only while Pagefind's start runs its synchronous part (no
     rendering in between). */
  const startUnsegmented = async (pagefind) => {
    const root = document.documentElement;
    const lang = root.getAttribute("lang");
    root.setAttribute("lang", "und");
    let started;
    try {
      started = pagefind.init();
    } finally {
      if (lang === null) root.removeAttribute("lang");
      else root.setAttribute("lang", lang);
    }
    await started;
    await pagefind.options({ excerptLength: EXCERPT_WORDS });
  };

  const load = () => {
    engine = engine || import(bundle).then(async (pagefind) => {
      if (OWN_WORDS.includes(primary)) await startUnsegmented(pagefind);
      return pagefind;
    });
    return engine;
  };

  /* Each Han run as its overlapping pairs (helpsite.search.pagefind.han_bigrams). */
  const hanBigrams = (text) => text.replace(HAN_RUNS, (run) => {
    const chars = Array.from(run);
    const pairs = chars.length < 2 ? [run]
      : chars.slice(1).map((c, i) => chars[i] + c);
    return ` ${pairs.join(" ")} `;
  });

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
    } else if (BIGRAMMED.includes(primary)) {
      text = hanBigrams(text);
    }
    if (ELIDED_WORDS) text = text.replace(ELIDED_WORDS, "");
    return text.split(/\s+/u).filter(Boolean).join(" ");
  };

  /* Pagefind's words of a title or excerpt ("<mark>word</mark>" or "word", by spaces),
     Han pairs joined again into their run: 如果 果使 <mark>使用</mark> → 如果<mark>使用</mark>
     (also after a single character the pair across an inline tag begins with: 的 的收 收件);
     no space between two CJK characters. */
  const unpair = (text) => {
    const units = [];  // {text, mark, joined}: joined = no space before it
    let last = "";
    for (const raw of text.split(" ").filter(Boolean)) {
      const marked = /^<mark>(.*)<\/mark>$/su.exec(raw);
      const word = marked ? marked[1] : raw;
      const prev = units[units.length - 1];
      if (prev && HAN_WORD.test(last) && HAN_PAIR.test(word)
          && last[last.length - 1] === word[0]) {
        prev.mark = prev.mark || Boolean(marked);
        units.push({ text: word[1], mark: Boolean(marked), joined: true });
      } else {
        const chars = HAN_PAIR.test(word) ? Array.from(word) : [word];
        chars.forEach((c, i) => units.push({
          text: c, mark: Boolean(marked),
          joined: i > 0 || Boolean(prev && CJK.test(prev.text.slice(-1)) && CJK.test(c[0])),
        }));
      }
      last = word;
    }
    let out = "";
    units.forEach((unit, i) => {
      const open = unit.mark && !(i > 0 && units[i - 1].mark && unit.joined);
      const close = unit.mark && !(units[i + 1] && units[i + 1].mark && units[i + 1].joined);
      out += (i > 0 && !unit.joined ? " " : "") + (open ? "<mark>" : "") + unit.text
        + (close ? "</mark>" : "");
    });
    return out;
  };

  /* A title or excerpt as written: without the indexer's separators (U+3000, the space
     after an elision) and with Chinese pairs joined again. */
  const clean = (text) => {
    let result = String(text || "").replace(/\u3000/g, BIGRAMMED.includes(primary) ? " " : "");
    if (BIGRAMMED.includes(primary)) result = unpair(result);
    if (ELISION_SPACE) result = result.replace(ELISION_SPACE, "$1");
    return result;
  };

  /* Pagefind finds only the pages that have every word of a query (a word no page has
     it ignores): one word that the pages with the others do not have (misspelt into
     another word, or still being typed: a paragraph copied up to the middle of a word,
     whose ICU parts are found as the start of other pages' words) and nothing is
     found. Then the words are taken in order, each kept if the pages found so far still
     have it. Every word's index chunk was loaded by the first search, so this costs no
     download. */
  const relaxed = async (pagefind, words) => {
    const kept = [];
    let best = { results: [] };
    for (const word of words) {
      const found = await pagefind.search([...kept, word].join(" "));
      if (found.results.length) {
        kept.push(word);
        best = found;
      }
    }
    return best;
  };

  const search = async (query, limit = 10) => {
    const prepared = prepareQuery(query);
    if (!prepared) return { total: 0, results: [] };
    const pagefind = await load();
    let found = await pagefind.search(prepared);
    const words = prepared.split(" ");
    if (!found.results.length && words.length > 1) found = await relaxed(pagefind, words);
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
  window.helpsiteCleanText = clean;

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
