// The search page: asks the Pagefind index of the page's language (Pagefind
// picks it from <html lang>) and lists title, date and excerpt of each result.
// Loaded only by the search page; no inline scripts or styles (CSP).

const form = document.querySelector("form.search-page");
const input = form.querySelector("input[name=q]");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const MAX_RESULTS = 20;

document.getElementById("search-nojs").hidden = true;

let pagefindReady = null;

function loadPagefind() {
  if (!pagefindReady) {
    pagefindReady = import(form.dataset.bundle).then(async (pagefind) => {
      await pagefind.options({ baseUrl: new URL(form.dataset.base).pathname });
      // A large index comes in parts, searched together.
      for (const part of (form.dataset.parts || "").split(" ").filter(Boolean)) {
        await pagefind.mergeIndex(part);
      }
      return pagefind;
    });
  }
  return pagefindReady;
}

// Pagefind's excerpt is HTML with <mark> around the matches: keep only text and marks.
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const nodes = [];
  for (const node of parsed.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  heading.className = "search-result__title";
  const link = document.createElement("a");
  // The index keeps each page's address, relative to the site, as metadata.
  const href = data.meta.url ? new URL(data.meta.url, form.dataset.base).pathname : data.url;
  link.href = href;
  link.textContent = data.meta.title || href;
  heading.append(link);
  item.append(heading);
  // The lead image's small crop, when the item has one (its alt text is in the index).
  if (data.meta.image) {
    const image = document.createElement("img");
    image.className = "search-result__image";
    image.src = data.meta.image;
    image.alt = data.meta.image_alt || "";
    image.width = 160;
    image.height = 90;
    image.loading = "lazy";
    item.append(image);
  }
  if (data.meta.date) {
    const date = document.createElement("p");
    date.className = "search-result__date";
    date.textContent = data.meta.date;
    item.append(date);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "search-result__excerpt";
  excerpt.append(...excerptNodes(data.excerpt));
  item.append(excerpt);
  return item;
}

let latest = 0;

async function run(query) {
  const ticket = ++latest;
  list.replaceChildren();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  try {
    const pagefind = await loadPagefind();
    const search = await pagefind.search(query);
    const found = await Promise.all(
      search.results.slice(0, MAX_RESULTS).map((result) => result.data())
    );
    if (ticket !== latest) return;
    const template = found.length ? status.dataset.found : status.dataset.none;
    status.textContent = template
      .replace("{query}", query)
      .replace("{count}", String(search.results.length));
    list.replaceChildren(...found.map(resultItem));
  } catch (error) {
    status.textContent = status.dataset.failed;
    throw error;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(window.location.href);
  url.searchParams.set("q", input.value);
  window.history.replaceState(null, "", url);
  run(input.value);
});

const initial = new URL(window.location.href).searchParams.get("q") || "";
input.value = initial;
if (initial) run(initial);
