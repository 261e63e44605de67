/* Network graph island (Cytoscape.js): loads the graph JSON from data-graph-url, then offers layouts, filters by
   actor kind and link kind, focus on a node's neighbourhood, a legend and a PNG download. The table after the
   graph carries the same information for people who do not use the drawing. */
(function () {
  "use strict";
  var container = document.getElementById("graph");
  if (!container || typeof window.cytoscape !== "function") { return; }
  var tools = document.getElementById("graph-tools");
  /* Dark enough for 3:1 on white (WCAG 1.4.11), distinct enough for up to 12 categories. */
  var PALETTE = ["#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be185d", "#0f766e", "#b91c1c", "#4338ca",
    "#854d0e", "#15803d", "#9333ea", "#374151"];
  var EDGE_COLOURS = ["#374151", "#b91c1c", "#1d4ed8", "#047857", "#7c3aed", "#b45309", "#be185d", "#0f766e", "#4338ca"];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function checkbox(parent, id, label, onChange) {
    var wrap = el("div", { "class": "field__checkbox" });
    var input = el("input", { type: "checkbox", id: id });
    input.checked = true;
    input.addEventListener("change", onChange);
    wrap.appendChild(input);
    wrap.appendChild(el("label", { "for": id }, label));
    parent.appendChild(wrap);
    return input;
  }

  fetch(container.getAttribute("data-graph-url"), { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (graph) {
      var edgeColour = {};
      graph.link_kinds.forEach(function (k, i) { edgeColour[k.kind] = EDGE_COLOURS[i % EDGE_COLOURS.length]; });
      var elements = graph.nodes.map(function (n) {
        return { group: "nodes", data: { id: n.id, label: n.label, kind: n.kind, colour: n.colour, status: n.status,
          legendColour: n.colour, category: n.category } };
      }).concat(graph.edges.map(function (e) {
        return { group: "edges", data: { id: e.id, source: e.source, target: e.target, kind: e.kind, label: e.label,
          colour: edgeColour[e.kind] || "#374151", status: e.status } };
      }));
      var cy = window.cytoscape({
        container: container,
        elements: elements,
        wheelSensitivity: 0.2,
        maxZoom: 2,
        minZoom: 0.05,
        style: [
          { selector: "node", style: { "background-color": "data(colour)", label: "data(label)", "font-size": 11,
            color: "#111827", "text-valign": "bottom", "text-margin-y": 4, width: 18, height: 18,
            "border-width": 2, "border-color": "#ffffff", "text-wrap": "ellipsis", "text-max-width": 120 } },
          { selector: "node[kind = 'scheme']", style: { shape: "diamond" } },
          { selector: "node[kind = 'person']", style: { shape: "round-rectangle" } },
          { selector: "node[status = 'proposed']", style: { "border-style": "dashed", "border-color": "#374151" } },
          { selector: "edge", style: { width: 2, "line-color": "data(colour)", "target-arrow-color": "data(colour)",
            "target-arrow-shape": "triangle", "curve-style": "bezier" } },
          { selector: "edge[status = 'proposed']", style: { "line-style": "dashed" } },
          { selector: ".faded", style: { opacity: 0.12 } },
          { selector: ".hidden", style: { display: "none" } }
        ],
        layout: { name: graph.nodes.length > 800 ? "concentric" : "cose", animate: false }
      });

      function runLayout() {
        var name = document.getElementById("graph-layout").value;
        cy.elements(":visible").layout({ name: name, animate: false, fit: true, padding: 20 }).run();
      }

      var hiddenKinds = {}, hiddenLinks = {};
      function applyFilters() {
        cy.batch(function () {
          cy.nodes().forEach(function (n) { n.toggleClass("hidden", !!hiddenKinds[n.data("kind")]); });
          cy.edges().forEach(function (e) { e.toggleClass("hidden", !!hiddenLinks[e.data("kind")]); });
        });
      }

      var kindBox = document.getElementById("graph-kind-filters");
      graph.kinds.forEach(function (k) {
        if (!graph.nodes.some(function (n) { return n.kind === k.kind; })) { return; }
        checkbox(kindBox, "graph-kind-" + k.kind, k.label, function (event) {
          hiddenKinds[k.kind] = !event.target.checked; applyFilters();
        });
      });
      var linkBox = document.getElementById("graph-link-filters");
      graph.link_kinds.forEach(function (k) {
        checkbox(linkBox, "graph-link-" + k.kind, k.label, function (event) {
          hiddenLinks[k.kind] = !event.target.checked; applyFilters();
        });
      });

      function focus(id) {
        cy.elements().removeClass("faded");
        if (!id) { cy.fit(undefined, 20); return; }
        var node = cy.getElementById(id);
        if (node.empty()) { return; }
        var hood = node.closedNeighborhood();
        cy.elements().not(hood).addClass("faded");
        cy.fit(hood, 40);
      }
      var focusSelect = document.getElementById("graph-focus");
      focusSelect.addEventListener("change", function () { focus(focusSelect.value); });
      cy.on("tap", "node", function (event) { focusSelect.value = event.target.id(); focus(event.target.id()); });
      document.getElementById("graph-layout").addEventListener("change", runLayout);

      document.getElementById("graph-png").addEventListener("click", function () {
        var link = el("a", { href: cy.png({ full: true, scale: 2, bg: "#ffffff" }), download: "carte-acteurs.png" });
        document.body.appendChild(link);
        link.click();
        link.remove();
      });

      var legend = document.getElementById("graph-legend");
      var categories = [];
      graph.nodes.forEach(function (n) { if (categories.indexOf(n.category) < 0) { categories.push(n.category); } });
      categories.sort();
      var kindColour = {};
      graph.kinds.forEach(function (k) { kindColour[k.kind] = k.colour; });

      function legendItems(mode) {
        if (mode === "category") {
          return categories.map(function (c, i) { return { label: c, colour: PALETTE[i % PALETTE.length] }; });
        }
        if (mode === "kind" || !graph.legend.length) {
          return graph.kinds.map(function (k) { return { label: k.label, colour: k.colour }; });
        }
        return graph.legend.map(function (l) { return { label: l.label, colour: l.colour }; });
      }

      function colourBy(mode) {
        cy.batch(function () {
          cy.nodes().forEach(function (n) {
            var colour = n.data("legendColour");
            if (mode === "category") { colour = PALETTE[categories.indexOf(n.data("category")) % PALETTE.length]; }
            if (mode === "kind") { colour = kindColour[n.data("kind")]; }
            n.data("colour", colour);
          });
        });
        legend.textContent = "";
        var list = el("ul", { "class": "directory-legend" });
        legendItems(mode).concat(graph.link_kinds.map(function (k) {
          return { label: k.label, colour: edgeColour[k.kind], line: true };
        })).forEach(function (item) {
          var li = el("li");
          var swatch = el("span", { "class": item.line ? "directory-swatch directory-swatch--line" : "directory-swatch", "aria-hidden": "true" });
          swatch.style.backgroundColor = item.colour;  /* CSSOM, allowed by the CSP (no inline style attribute) */
          li.appendChild(swatch);
          li.appendChild(document.createTextNode(" " + item.label));
          list.appendChild(li);
        });
        legend.appendChild(list);
      }
      var colourSelect = document.getElementById("graph-colour");
      colourSelect.addEventListener("change", function () { colourBy(colourSelect.value); });
      colourBy(colourSelect.value);
      container.setAttribute("data-ready", String(graph.nodes.length));
      tools.hidden = false;
    })
    .catch(function () { container.textContent = container.getAttribute("aria-label"); });
})();
