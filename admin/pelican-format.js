/* Pelican's metadata format for the web editor: `Key: value` lines, a blank
   line, then the Markdown body.

   `parse` keeps the file as it was read in one hidden field, so that
   `serialize` writes every line whose value did not change exactly as it
   was (key spelling, spacing, continuation lines, order, fields the editor
   does not show) and rewrites only the lines of changed fields. New fields
   go after the existing ones; a field emptied in the editor loses its line.

   Runs in the browser (window.PelicanFormat) and in Node (the tests). */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.PelicanFormat = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var META_LINE = /^([A-Za-z][\w-]*)\s*:\s*(.*?)\s*$/;
  var SOURCE = "_pelican_source";

  function rawLines(text) {
    return text.match(/[^\n]*\n|[^\n]+$/g) || [];
  }

  function bare(line) {
    return line.replace(/\r?\n$/, "");
  }

  function toList(value) {
    return value.split(",").map(function (key) { return key.trim(); })
      .filter(function (key) { return key !== ""; });
  }

  /* The file's text -> {lowercase key: value, body: text, _pelican_source: "..."};
     fields named in options.listFields become lists of keys. */
  function parse(text, options) {
    var listFields = (options && options.listFields) || [];
    var lines = rawLines(text);
    var entries = [];
    var separator = null;
    var current = null;
    var index = 0;
    for (; index < lines.length; index++) {
      var line = bare(lines[index]);
      if (line.trim() === "") {
        separator = lines[index];
        index++;
        break;
      }
      var match = META_LINE.exec(line);
      if (match) {
        current = { key: match[1], name: match[1].toLowerCase(), value: match[2],
                    raw: lines[index] };
        entries.push(current);
      } else if (current && /^[ \t]/.test(line)) {
        current.value += " " + line.trim();
        current.raw += lines[index];
      } else {
        break;
      }
    }
    var body = lines.slice(index).join("");
    var data = {};
    entries.forEach(function (entry) {
      if (!(entry.name in data)) {
        data[entry.name] = listFields.indexOf(entry.name) >= 0 ? toList(entry.value) : entry.value;
      }
    });
    data.body = body;
    data[SOURCE] = JSON.stringify({ entries: entries, separator: separator, body: body });
    return data;
  }

  function text(value) {
    if (value === null || value === undefined) return "";
    if (Array.isArray(value)) return value.map(String).join(", ");
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return String(value).replace(/\s*\n\s*/g, " ").trim();
  }

  function same(value, entry, listFields) {
    if (listFields.indexOf(entry.name) >= 0 || Array.isArray(value)) {
      var now = Array.isArray(value) ? value.map(String) : toList(text(value));
      return now.join("\n") === toList(entry.value).join("\n");
    }
    return text(value) === entry.value.replace(/\s+/g, " ").trim();
  }

  function spelled(name) {
    return name.charAt(0).toUpperCase() + name.slice(1);
  }

  function empty(value) {
    return text(value) === "";
  }

  /* The data (as `parse` gives it, possibly changed) -> the file's text.
     `order` lists field names in the order new fields are written. */
  function serialize(data, options) {
    var listFields = (options && options.listFields) || [];
    var order = (options && options.order) || [];
    var source = data[SOURCE] ? JSON.parse(data[SOURCE]) : { entries: [], separator: null, body: null };
    var newline = "\n";
    var out = "";
    var written = {};
    source.entries.forEach(function (entry) {
      if (written[entry.name]) {  // a repeated key: Pelican reads the first
        out += entry.raw;
        return;
      }
      written[entry.name] = true;
      if (!(entry.name in data)) {  // a field the editor does not know
        out += entry.raw;
        return;
      }
      var value = data[entry.name];
      if (same(value, entry, listFields)) {
        out += entry.raw;
      } else if (!empty(value)) {
        var end = /\n$/.test(entry.raw) ? (/\r\n$/.test(entry.raw) ? "\r\n" : "\n") : newline;
        out += entry.key + ": " + text(value) + end;
      }
    });
    var names = order.concat(Object.keys(data));
    names.forEach(function (name) {
      if (written[name] || name === "body" || name === SOURCE || !(name in data)) return;
      written[name] = true;
      if (!empty(data[name])) out += spelled(name) + ": " + text(data[name]) + newline;
    });
    var body = data.body === undefined || data.body === null ? "" : String(data.body);
    if (source.body !== null && body === source.body) {
      return out + (source.separator === null ? "" : source.separator) + body;
    }
    if (body !== "" && !/\n$/.test(body)) body += newline;
    return out + (source.separator === null ? newline : source.separator) + body;
  }

  return { parse: parse, serialize: serialize, SOURCE: SOURCE };
});
