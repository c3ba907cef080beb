/* The web editor (make cms): our file format, the preview, then start. */
(function () {
  "use strict";
  var CMS = window.CMS;
  var model = window.PORTAL_MODEL;
  var format = window.PelicanFormat;

  function toPlain(data) {
    return data && typeof data.toJS === "function" ? data.toJS() : data;
  }

  CMS.registerCustomFormat("pelican", "md", {
    fromFile: function (text) {
      return format.parse(text, { listFields: model.listFields });
    },
    toFile: function (data, sortedKeys) {
      return format.serialize(toPlain(data), {
        listFields: model.listFields, order: sortedKeys || [] });
    },
  });

  // The preview pane shows the item with the site's stylesheet, in the
  // language chosen above it.
  CMS.registerPreviewStyle("/theme/css/site.css");
  var h = window.h;
  var Preview = window.createClass({
    render: function () {
      var entry = this.props.entry;
      var lang = this.props.locale || model.languages[0];
      var data = entry.get("data");
      var summary = data.get("summary");
      return h("main", { lang: lang, className: "cms-preview" },
        h("article", {},
          h("h1", {}, data.get("title")),
          summary ? h("p", { className: "lead" }, summary) : null,
          this.props.widgetFor("body")));
    },
  });
  Object.keys(model.order).forEach(function (kind) {
    CMS.registerPreviewTemplate(kind, Preview);
  });

  CMS.init();
})();
