// The interactive party graph of obligraph: canvas drawing, filters, hover and
// side panel over the JSON in <script id="graph-data">. Layout physics comes from
// the vendored d3-force. Every text from the documents is inserted with
// textContent or drawn on the canvas, never parsed as HTML.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var PHYSICS_LIMIT = 1500;   // more visible parties than this: layout runs only on request
  var ARROW_LIMIT = 4000;     // more visible links than this: no arrowheads
  var LABEL_TRIES = 400;      // label candidates tried per frame
  var FRAME_BUDGET = 12;      // ms of layout per animation frame, so the page stays responsive
  var STATED = "#33415C", RECIPROCAL = "#E07B00", MEMBERSHIP = "#9AA0A6";

  var $ = function (id) { return document.getElementById(id); };
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function plural(n, word) {
    return n + " " + (n === 1 ? word : word.slice(-1) === "y" ? word.slice(0, -1) + "ies" : word + "s");
  }

  // --- data -------------------------------------------------------------------
  var commitments = data.commitments;
  var kinds = {};
  data.kinds.forEach(function (k) { kinds[k.key] = k; });
  var big = data.nodes.length > 2000;
  var nodes = data.nodes.map(function (n, i) {
    var names = [n.label].concat(n.aliases).map(function (s) { return s.toLowerCase(); });
    return { i: i, id: n.id, label: n.label, aliases: n.aliases, kind: n.kind, cls: n.cls, owned: n.owned,
             c: n.c, x: n.x, y: n.y, names: names, colour: (kinds[n.kind] || { colour: "#B0B0B0" }).colour,
             r: n.r,
             visible: true, shownOwned: n.owned, degree: 0, out: [], inc: [] };
  });
  var edges = data.edges.map(function (e, i) {
    var edge = { i: i, source: nodes[e.s], target: nodes[e.t], kind: e.kind, w: e.w, c: e.c || [],
                 ci: e.ci || [], inferred: !!e.inferred, reciprocal: !!e.reciprocal, visible: true, shown: e.c || [] };
    edge.source.degree++; edge.target.degree++;
    edge.source.out.push(edge); edge.target.inc.push(edge);
    return edge;
  });
  var cOwners = commitments.map(function () { return []; });
  var cTo = commitments.map(function () { return []; });
  edges.forEach(function (e) {
    if (e.kind !== "commitment") return;
    e.c.forEach(function (ci) {
      if (cOwners[ci].indexOf(e.source) < 0) cOwners[ci].push(e.source);
      if (cTo[ci].indexOf(e.target) < 0) cTo[ci].push(e.target);
    });
  });
  nodes.forEach(function (n) {
    n.c.forEach(function (ci) { if (cOwners[ci].indexOf(n) < 0) cOwners[ci].push(n); });
  });
  var importance = nodes.slice().sort(function (a, b) {
    return b.owned - a.owned || b.degree - a.degree || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
  });

  // --- filters ------------------------------------------------------------------
  var state = { theme: "", modality: "", party: "", members: true };
  var visibleNodes = nodes, visibleEdges = edges, message = "";

  function matches(ci) {
    var c = commitments[ci];
    return (!state.theme || c.theme === state.theme) && (!state.modality || c.modality === state.modality);
  }
  function partyHits(text) {
    var want = text.trim().toLowerCase();
    if (!want) return null;
    var exact = nodes.filter(function (n) { return n.names.indexOf(want) >= 0 || n.id.toLowerCase() === want; });
    if (exact.length) return exact;
    return nodes.filter(function (n) { return n.names.some(function (s) { return s.indexOf(want) >= 0; }); });
  }

  function applyFilters() {
    var filtered = state.theme || state.modality;
    nodes.forEach(function (n) { n.shownOwned = filtered ? n.c.filter(matches).length : n.owned; n.visible = false; });
    edges.forEach(function (e) {
      if (e.kind === "commitment") { e.shown = filtered ? e.c.filter(matches) : e.c; e.visible = e.shown.length > 0; }
      else e.visible = state.members;
    });
    var hits = partyHits(state.party);
    message = "";
    if (hits) {
      var hit = new Set(hits);
      edges.forEach(function (e) { e.visible = e.visible && (hit.has(e.source) || hit.has(e.target)); });
      hits.forEach(function (n) { n.visible = true; });
      edges.forEach(function (e) { if (e.visible) { e.source.visible = true; e.target.visible = true; } });
      if (!hits.length) message = "No party is called \u201c" + state.party.trim() + "\u201d.";
      else if (hits.length > 1) message = plural(hits.length, "party") + " match \u201c" + state.party.trim() + "\u201d.";
    } else if (filtered) {
      nodes.forEach(function (n) { n.visible = n.shownOwned > 0; });
      edges.forEach(function (e) {
        if (e.visible && e.kind === "commitment") { e.source.visible = true; e.target.visible = true; }
      });
      edges.forEach(function (e) { e.visible = e.visible && e.source.visible && e.target.visible; });
    } else {
      nodes.forEach(function (n) { n.visible = true; });
    }
    visibleNodes = nodes.filter(function (n) { return n.visible; });
    visibleEdges = edges.filter(function (e) { return e.visible; });
    var links = visibleEdges.filter(function (e) { return e.kind === "commitment"; }).length;
    var count = $("count");
    count.textContent = "Showing " + plural(visibleNodes.length, "party") + " of " + nodes.length + " and " +
      plural(links, "commitment link") + "." + (message ? " " + message : "");
    count.className = message && !visibleNodes.length ? "warn" : "";
    count.setAttribute("data-nodes", String(visibleNodes.length));
    count.setAttribute("data-edges", String(visibleEdges.length));
    api.visibleNodes = visibleNodes.length;
    api.visibleEdges = visibleEdges.length;
    hover = null; hideTooltip();
    startPhysics(visibleNodes.length <= PHYSICS_LIMIT, 0.15);
    requestDraw();
  }

  // --- layout physics (d3-force, ticked by hand within a frame budget) ----------------
  var sim = null, running = false;
  function startPhysics(run, alpha) {
    if (sim) sim.stop();
    // The page opens on the layout obligraph computed; the forces keep each link near
    // that length, so the picture stays as drawn while parties make room for their
    // labels and follow a party that is dragged.
    var links = visibleEdges.filter(function (e) { return e.source !== e.target; });
    links.forEach(function (e) {
      if (e.rest === undefined) e.rest = Math.max(Math.hypot(e.target.x - e.source.x, e.target.y - e.source.y), e.source.r + e.target.r + 20);
    });
    sim = d3.forceSimulation(visibleNodes)
      .force("link", d3.forceLink(links).distance(function (e) { return e.rest; }).strength(0.3))
      .force("charge", d3.forceManyBody().strength(-40).theta(0.9).distanceMax(250))
      .force("collide", d3.forceCollide(function (n) { return n.r + 6; }).iterations(2))
      .alpha(alpha).alphaDecay(0.04).velocityDecay(0.5).stop();
    running = run;
    physicsButton();
    if (running) requestDraw();
  }
  function physicsButton() {
    $("physics").textContent = running ? "Pause layout" : "Run layout";
    api.physics = running;
  }

  // --- view ---------------------------------------------------------------------
  var canvas = $("canvas"), ctx = canvas.getContext("2d");
  var view = { x: 0, y: 0, k: 1 }, width = 0, height = 0, dpr = 1;
  var hover = null, selected = null, pending = false, autoFit = true;

  function resize() {
    var box = canvas.getBoundingClientRect();
    dpr = window.devicePixelRatio || 1;
    width = box.width; height = box.height;
    canvas.width = Math.max(1, Math.round(width * dpr));
    canvas.height = Math.max(1, Math.round(height * dpr));
    requestDraw();
  }
  function fit() {
    autoFit = true;
    fitView();
    requestDraw();
  }
  function fitView() {
    var list = visibleNodes.length ? visibleNodes : nodes;
    if (!list.length || !width) { view = { x: width / 2, y: height / 2, k: 1 }; return; }
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    list.forEach(function (n) {
      x0 = Math.min(x0, n.x - n.r); y0 = Math.min(y0, n.y - n.r);
      x1 = Math.max(x1, n.x + n.r); y1 = Math.max(y1, n.y + n.r);
    });
    var k = Math.min(width / (x1 - x0 + 80), height / (y1 - y0 + 80), 1.2);
    view = { k: k, x: width / 2 - k * (x0 + x1) / 2, y: height / 2 - k * (y0 + y1) / 2 };
  }
  function zoomAt(px, py, factor) {
    autoFit = false;
    var k = Math.max(0.02, Math.min(12, view.k * factor));
    view.x = px - (px - view.x) * (k / view.k);
    view.y = py - (py - view.y) * (k / view.k);
    view.k = k;
    requestDraw();
  }
  function toWorld(px, py) { return { x: (px - view.x) / view.k, y: (py - view.y) / view.k }; }
  function requestDraw() {
    if (!pending) { pending = true; requestAnimationFrame(frame); }
  }
  function frame() {
    pending = false;
    if (running && sim) {
      var t0 = performance.now();
      do { sim.tick(); } while (performance.now() - t0 < FRAME_BUDGET && sim.alpha() > sim.alphaMin());
      if (sim.alpha() <= sim.alphaMin()) { running = false; physicsButton(); }
      if (autoFit) fitView();   // keep the settling graph in view until the reader takes over
    }
    var t1 = performance.now();
    draw();
    api.drawMs = performance.now() - t1;
    if (running) requestDraw();
  }

  // --- drawing --------------------------------------------------------------------
  function shapePath(c, n, r) {
    if (n.cls === "PartyGroup") {
      for (var j = 0; j < 6; j++) {
        var a = Math.PI / 6 + j * Math.PI / 3;
        if (j === 0) c.moveTo(n.x + r * Math.cos(a), n.y + r * Math.sin(a));
        else c.lineTo(n.x + r * Math.cos(a), n.y + r * Math.sin(a));
      }
      c.closePath();
    } else if (n.cls === "GovernanceBody") {
      c.moveTo(n.x, n.y - r); c.lineTo(n.x + r, n.y); c.lineTo(n.x, n.y + r); c.lineTo(n.x - r, n.y); c.closePath();
    } else if (n.cls === "Post") {
      c.moveTo(n.x, n.y - r); c.lineTo(n.x + r * 0.95, n.y + r * 0.75); c.lineTo(n.x - r * 0.95, n.y + r * 0.75); c.closePath();
    } else {
      c.moveTo(n.x + r, n.y); c.arc(n.x, n.y, r, 0, 2 * Math.PI);
    }
  }
  function onScreen(n, pad) {
    var sx = n.x * view.k + view.x, sy = n.y * view.k + view.y, r = n.r * view.k + pad;
    return sx > -r && sy > -r && sx < width + r && sy < height + r;
  }
  function draw() {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    if (!visibleNodes.length) {
      ctx.fillStyle = "#5b6475"; ctx.font = "16px system-ui, sans-serif"; ctx.textAlign = "center";
      ctx.fillText(message || "No parties match these filters.", width / 2, height / 2);
      return;
    }
    ctx.setTransform(dpr * view.k, 0, 0, dpr * view.k, dpr * view.x, dpr * view.y);
    var k = view.k, batches = {}, heads = {}, maxW = 1;
    visibleEdges.forEach(function (e) { if (e.kind === "commitment" && e.shown.length > maxW) maxW = e.shown.length; });
    var arrows = visibleEdges.length <= ARROW_LIMIT && k > 0.25;
    visibleEdges.forEach(function (e) {
      var s = e.source, t = e.target;
      if (!onScreen(s, 400) && !onScreen(t, 400)) return;
      var key;
      if (e.kind === "commitment") {
        var lw = Math.round(1 + 3 * Math.sqrt(e.shown.length / maxW));
        key = (e.reciprocal ? RECIPROCAL : STATED) + "|" + (e.inferred ? "d" : "s") + "|" + lw;
      } else key = MEMBERSHIP + "|" + (e.kind === "member" ? "m" : "u") + "|1";
      (batches[key] = batches[key] || []).push(e);
      if (arrows && e.kind === "commitment" && s !== t && Math.abs(t.x - s.x) + Math.abs(t.y - s.y) > 50 / k) {
        (heads[key.split("|")[0]] = heads[key.split("|")[0]] || []).push(e);   // only where the link is long enough on screen
      }
    });
    Object.keys(batches).sort().forEach(function (key) {
      var parts = key.split("|");
      ctx.beginPath();
      batches[key].forEach(function (e) { edgePath(e); });
      ctx.strokeStyle = parts[0];
      ctx.globalAlpha = parts[0] === MEMBERSHIP ? 0.8 : big ? 0.45 : 0.8;
      ctx.lineWidth = Number(parts[2]) * Math.min(1, Math.max(0.3, k * 1.5)) / k;   // hairlines in the overview
      ctx.setLineDash(parts[1] === "d" ? [6 / k, 4 / k] : parts[1] === "m" ? [1.5 / k, 3 / k] :
                      parts[1] === "u" ? [6 / k, 3 / k, 1.5 / k, 3 / k] : []);
      ctx.stroke();
    });
    ctx.setLineDash([]);
    Object.keys(heads).forEach(function (colour) {   // open chevrons: one stroke is far cheaper than many fills
      ctx.beginPath();
      heads[colour].forEach(function (e) { headPath(e); });
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2 / k;
      ctx.stroke();
    });
    ctx.globalAlpha = 1;
    var byColour = {};
    visibleNodes.forEach(function (n) {
      if (onScreen(n, 2)) (byColour[n.colour] = byColour[n.colour] || []).push(n);
    });
    var minR = 1.5 / k;
    Object.keys(byColour).forEach(function (colour) {
      var dots = [], shapes = [];
      byColour[colour].forEach(function (n) { (n.r * k < 3 ? dots : shapes).push(n); });
      ctx.fillStyle = colour;
      ctx.beginPath();   // parties a few pixels wide: squares, far cheaper than arcs at 10,000
      dots.forEach(function (n) { var r = Math.max(n.r, minR); ctx.rect(n.x - r, n.y - r, 2 * r, 2 * r); });
      ctx.fill();
      ctx.beginPath();
      shapes.forEach(function (n) { shapePath(ctx, n, n.r); });
      ctx.fill();
      ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 1.2 / k; ctx.stroke();
    });
    [selected, hover].forEach(function (item, j) {
      if (!item) return;
      ctx.beginPath();
      if (item.source) edgePath(item); else shapePath(ctx, item, Math.max(item.r, minR) + 2 / k);
      ctx.strokeStyle = j ? "#2f5da8" : "#111111";
      ctx.lineWidth = (item.source ? 4 : 2.5) / k;
      ctx.stroke();
    });
    drawLabels();
  }
  function ends(e) {
    var s = e.source, t = e.target, dx = t.x - s.x, dy = t.y - s.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
    var ux = dx / d, uy = dy / d, off = 0;
    if (e.kind === "commitment" && e.twin === undefined) {
      e.twin = t.out.some(function (o) { return o.target === s && o.kind === "commitment"; });
    }
    if (e.twin) off = 3 / view.k;   // both directions: shift each to its right
    return { x1: s.x + ux * s.r - uy * off, y1: s.y + uy * s.r + ux * off,
             x2: t.x - ux * t.r - uy * off, y2: t.y - uy * t.r + ux * off, ux: ux, uy: uy, d: d };
  }
  function edgePath(e) {
    if (e.source === e.target) {
      var n = e.source, lr = Math.min(n.r * 0.5, 10), cx = n.x + n.r * 0.8, cy = n.y - n.r * 0.8;
      ctx.moveTo(cx + lr, cy); ctx.arc(cx, cy, lr, 0, 2 * Math.PI);
      return;
    }
    var p = ends(e);
    if (p.d <= e.source.r + e.target.r) return;
    ctx.moveTo(p.x1, p.y1); ctx.lineTo(p.x2, p.y2);
  }
  function headPath(e) {
    var p = ends(e);
    if (p.d <= e.source.r + e.target.r) return;
    var len = 9 / view.k, half = 4 / view.k;
    ctx.moveTo(p.x2 - p.ux * len - p.uy * half, p.y2 - p.uy * len + p.ux * half);
    ctx.lineTo(p.x2, p.y2);
    ctx.lineTo(p.x2 - p.ux * len + p.uy * half, p.y2 - p.uy * len - p.ux * half);
  }
  function drawLabels() {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.font = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    var placed = [], tries = 0, rank = 0, blockers = [];
    if (visibleNodes.length <= PHYSICS_LIMIT) {   // labels also keep off other parties when there are few
      visibleNodes.forEach(function (n) {
        if (!onScreen(n, 0)) return;
        var bx = n.x * view.k + view.x, by = n.y * view.k + view.y, br = Math.max(n.r * view.k, 1.5);
        blockers.push([bx - br, by - br, bx + br, by + br, n]);
      });
    }
    for (var j = 0; j < importance.length && tries < LABEL_TRIES; j++) {
      var n = importance[j];
      if (!n.visible) continue;
      rank++;
      var r = n.r * view.k;
      if ((r < 4 && rank > 30 && n !== hover && n !== selected) || !onScreen(n, 0)) continue;
      tries++;
      var text = n.label.length > 40 ? n.label.slice(0, 38) + "\u2026" : n.label;
      var w = ctx.measureText(text).width, sx = n.x * view.k + view.x, sy = n.y * view.k + view.y;
      var c = r * 0.7 + 4, spots = [[sx + r + 4, sy], [sx - r - 4 - w, sy], [sx - w / 2, sy - r - 10],
                                    [sx - w / 2, sy + r + 10], [sx + c, sy - c - 6], [sx - c - w, sy - c - 6],
                                    [sx + c, sy + c + 6], [sx - c - w, sy + c + 6]];
      // The parties owning most may cover another party with their name; the rest may not.
      for (var s = 0; s < (rank <= 5 && n.owned > 0 ? 2 : 1) * spots.length; s++) {
        var at = spots[s % spots.length], avoid = s < spots.length;
        var box = [at[0] - 2, at[1] - 8, at[0] + w + 2, at[1] + 8];
        if (box[0] < 0 || box[1] < 0 || box[2] > width || box[3] > height) continue;
        var hits = function (b) { return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]; };
        var clash = placed.some(hits) || (avoid && blockers.some(function (b) { return b[4] !== n && hits(b); }));
        if (!clash) {
          placed.push(box);
          ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.lineWidth = 3.5;
          ctx.strokeText(text, at[0], at[1]);
          ctx.fillStyle = "#111111";
          ctx.fillText(text, at[0], at[1]);
          break;
        }
      }
    }
  }

  // --- hover, tooltip, selection --------------------------------------------------
  function pick(px, py) {
    var p = toWorld(px, py), best = null, bestD = Infinity;
    for (var j = visibleNodes.length - 1; j >= 0; j--) {
      var n = visibleNodes[j], r = Math.max(n.r, 1.5 / view.k) + 3 / view.k;
      var d = (n.x - p.x) * (n.x - p.x) + (n.y - p.y) * (n.y - p.y);
      if (d < r * r && d < bestD) { best = n; bestD = d; }
    }
    if (best) return best;
    var tol = 5 / view.k;
    visibleEdges.forEach(function (e) {
      if (e.source === e.target) return;
      var q = ends(e), vx = q.x2 - q.x1, vy = q.y2 - q.y1, len = vx * vx + vy * vy || 1;
      var t = Math.max(0, Math.min(1, ((p.x - q.x1) * vx + (p.y - q.y1) * vy) / len));
      var dx = q.x1 + t * vx - p.x, dy = q.y1 + t * vy - p.y, d = Math.sqrt(dx * dx + dy * dy);
      if (d < tol && d < bestD) { best = e; bestD = d; }
    });
    return best;
  }
  function labelsOf(list) {
    var ul = el("ul");
    list.slice(0, 6).forEach(function (ci) { ul.appendChild(el("li", commitments[ci].label || commitments[ci].quote)); });
    if (list.length > 6) ul.appendChild(el("li", "and " + (list.length - 6) + " more"));
    return ul;
  }
  function describe(item) {
    var box = document.createDocumentFragment();
    if (item.source) {
      if (item.kind !== "commitment") {
        box.appendChild(el("strong", item.source.label + (item.kind === "member" ? " is a member of " : " is a unit of ") + item.target.label));
        return box;
      }
      box.appendChild(el("strong", item.source.label + " \u2192 " + item.target.label));
      box.appendChild(el("span", plural(item.shown.length, "commitment") + (item.inferred ? ", counterpart inferred" : "") +
                                 (item.reciprocal ? ", reciprocal" : "")));
      box.appendChild(labelsOf(item.shown));
    } else {
      var owned = item.c.filter(matches);
      box.appendChild(el("strong", item.label));
      box.appendChild(el("span", "Owns " + plural(owned.length, "commitment") +
                                 (kinds[item.kind] ? " \u00b7 " + kinds[item.kind].label : "")));
      if (owned.length) box.appendChild(labelsOf(owned));
    }
    return box;
  }
  var tooltip = $("tooltip");
  function showTooltip(item, px, py) {
    tooltip.replaceChildren(describe(item));
    tooltip.hidden = false;
    var w = tooltip.offsetWidth, h = tooltip.offsetHeight;
    tooltip.style.left = Math.max(4, Math.min(px + 14, width - w - 4)) + "px";
    tooltip.style.top = Math.max(4, Math.min(py + 14, height - h - 4)) + "px";
  }
  function hideTooltip() { tooltip.hidden = true; }

  function commitmentList(title, list, other) {
    var section = document.createDocumentFragment();
    section.appendChild(el("h3", title + " (" + list.length + ")"));
    list.forEach(function (item) {
      var ci = item[0], c = commitments[ci], art = el("article", null, "commitment");
      art.appendChild(el("blockquote", c.quote || c.label));
      var meta = el("p", null, "meta");
      if (other) {
        var who = other(ci).map(function (n) { return n.label; }).join(", ");
        if (who) meta.appendChild(el("span", who + ". "));
      }
      meta.appendChild(el("span", c.modality || "modality not stated", "tag"));
      if (item[1]) meta.appendChild(el("span", "counterpart inferred", "tag inferred"));
      if (c.reciprocal) meta.appendChild(el("span", "reciprocal", "tag reciprocal"));
      var where = [];
      if (c.section) where.push("Section: " + c.section);
      if (c.theme && c.theme !== c.section) where.push("Theme: " + c.theme);
      if (c.agreement) where.push(c.agreement);
      meta.appendChild(el("span", where.join(" \u00b7 ")));
      art.appendChild(meta);
      section.appendChild(art);
    });
    return section;
  }
  function select(item) {
    selected = item;
    var body = $("panel-body");
    body.replaceChildren();
    if (!item) {
      $("panel-title").textContent = "Commitments";
      body.appendChild(el("p", "Click a party or a link to list its commitments with the words of the agreement.", "meta"));
      requestDraw();
      return;
    }
    if (item.source) {
      $("panel-title").textContent = item.source.label + " \u2192 " + item.target.label;
      if (item.kind !== "commitment") {
        body.appendChild(el("p", item.source.label + (item.kind === "member" ? " is a member of " : " is a unit of ") + item.target.label + ".", "meta"));
      } else {
        body.appendChild(el("p", plural(item.shown.length, "commitment") + " owed by " + item.source.label + " to " + item.target.label + ".", "meta"));
        body.appendChild(commitmentList("Commitments", item.shown.map(function (ci) { return [ci, item.ci.indexOf(ci) >= 0]; })));
      }
    } else {
      $("panel-title").textContent = item.label;
      var facts = [kinds[item.kind] ? kinds[item.kind].label : "", {Party: "party", PartyGroup: "group of parties", GovernanceBody: "governance body", Post: "post"}[item.cls] || ""];
      if (item.aliases.length) facts.push("also called " + item.aliases.join(", "));
      body.appendChild(el("p", facts.filter(Boolean).join(" \u00b7 "), "meta"));
      var owed = [], seen = new Set();
      item.inc.forEach(function (e) {
        if (e.kind !== "commitment") return;
        e.c.filter(matches).forEach(function (ci) {
          if (!seen.has(ci)) { seen.add(ci); owed.push([ci, e.ci.indexOf(ci) >= 0]); }
        });
      });
      body.appendChild(commitmentList("Commitments it owns", item.c.filter(matches).map(function (ci) { return [ci, false]; }),
                                      function (ci) { return cTo[ci].length ? [{ label: "To " + cTo[ci].map(function (n) { return n.label; }).join(", ") }] : []; }));
      body.appendChild(commitmentList("Commitments owed to it", owed,
                                      function (ci) { return [{ label: "From " + cOwners[ci].map(function (n) { return n.label; }).join(", ") }]; }));
    }
    requestDraw();
  }

  // --- pointer and wheel ------------------------------------------------------------
  var drag = null;
  function local(ev) { var b = canvas.getBoundingClientRect(); return { x: ev.clientX - b.left, y: ev.clientY - b.top }; }
  canvas.addEventListener("pointerdown", function (ev) {
    var p = local(ev), item = pick(p.x, p.y);
    canvas.setPointerCapture(ev.pointerId);
    drag = { x: p.x, y: p.y, moved: false, item: item, vx: view.x, vy: view.y };
    if (item && !item.source) { item.fx = item.x; item.fy = item.y; }
    canvas.classList.add("dragging");
  });
  canvas.addEventListener("pointermove", function (ev) {
    var p = local(ev);
    if (drag) {
      if (Math.abs(p.x - drag.x) + Math.abs(p.y - drag.y) > 3) drag.moved = true;
      if (!drag.moved) return;
      autoFit = false;
      hideTooltip();
      if (drag.item && !drag.item.source) {
        var w = toWorld(p.x, p.y), n = drag.item;
        n.x = n.fx = w.x; n.y = n.fy = w.y;
        if (sim && visibleNodes.length <= PHYSICS_LIMIT) { sim.alpha(Math.max(sim.alpha(), 0.2)); running = true; physicsButton(); }
      } else {
        view.x = drag.vx + p.x - drag.x; view.y = drag.vy + p.y - drag.y;
      }
      requestDraw();
      return;
    }
    var item = pick(p.x, p.y);
    if (item !== hover) { hover = item; requestDraw(); }
    canvas.classList.toggle("pointing", !!item);
    if (item) showTooltip(item, p.x, p.y); else hideTooltip();
  });
  function release(ev) {
    if (!drag) return;
    if (drag.item && !drag.item.source) { drag.item.fx = null; drag.item.fy = null; }
    if (!drag.moved) select(drag.item);
    drag = null;
    canvas.classList.remove("dragging");
  }
  canvas.addEventListener("pointerup", release);
  canvas.addEventListener("pointercancel", release);
  canvas.addEventListener("pointerleave", function () { if (!drag) { hover = null; hideTooltip(); requestDraw(); } });
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = local(ev);
    zoomAt(p.x, p.y, Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015)));
  }, { passive: false });

  // --- controls and legend ----------------------------------------------------------
  function fill(select, values) {
    values.forEach(function (v) { var o = el("option", v); o.value = v; select.appendChild(o); });
  }
  fill($("f-theme"), data.themes);
  fill($("f-modality"), data.modalities);
  var names = new Set();
  nodes.forEach(function (n) { names.add(n.label); n.aliases.forEach(function (a) { names.add(a); }); });
  var datalist = $("party-names");
  Array.from(names).sort().slice(0, 5000).forEach(function (v) { var o = document.createElement("option"); o.value = v; datalist.appendChild(o); });
  $("f-theme").addEventListener("change", function (ev) { state.theme = ev.target.value; applyFilters(); fit(); });
  $("f-modality").addEventListener("change", function (ev) { state.modality = ev.target.value; applyFilters(); fit(); });
  var typing = null;
  $("f-party").addEventListener("input", function (ev) {
    clearTimeout(typing);
    typing = setTimeout(function () { state.party = ev.target.value; applyFilters(); fit(); }, 200);
  });
  $("f-members").addEventListener("change", function (ev) { state.members = ev.target.checked; applyFilters(); });
  $("reset").addEventListener("click", function () {
    $("f-theme").value = ""; $("f-modality").value = ""; $("f-party").value = ""; $("f-members").checked = true;
    state = { theme: "", modality: "", party: "", members: true };
    applyFilters(); fit();
  });
  $("zoom-in").addEventListener("click", function () { zoomAt(width / 2, height / 2, 1.4); });
  $("zoom-out").addEventListener("click", function () { zoomAt(width / 2, height / 2, 1 / 1.4); });
  $("fit").addEventListener("click", fit);
  $("physics").addEventListener("click", function () {
    if (running) { running = false; } else { if (sim.alpha() <= sim.alphaMin()) sim.alpha(0.3); running = true; }
    physicsButton(); requestDraw();
  });

  function svgIcon(build) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "28"); svg.setAttribute("height", "14"); svg.setAttribute("aria-hidden", "true");
    build(svg, function (tag, attrs) {
      var e = document.createElementNS(ns, tag);
      Object.keys(attrs).forEach(function (a) { e.setAttribute(a, attrs[a]); });
      svg.appendChild(e);
    });
    return svg;
  }
  function legendList(title, items) {
    var legend = $("legend");
    legend.appendChild(el("h3", title));
    var ul = el("ul");
    items.forEach(function (item) { var li = el("li"); li.appendChild(item[0]); li.appendChild(el("span", item[1])); ul.appendChild(li); });
    legend.appendChild(ul);
  }
  var presentKinds = new Set(nodes.map(function (n) { return n.kind; }));
  legendList("Party kind (colour)", data.kinds.filter(function (k) { return presentKinds.has(k.key); }).map(function (k) {
    return [svgIcon(function (s, add) { add("circle", { cx: 14, cy: 7, r: 6, fill: k.colour }); }), k.label];
  }));
  var shapes = { Party: ["circle", { cx: 14, cy: 7, r: 6 }, "party"],
                 PartyGroup: ["polygon", { points: "14,0 20,3.5 20,10.5 14,14 8,10.5 8,3.5" }, "group of parties"],
                 GovernanceBody: ["polygon", { points: "14,0 21,7 14,14 7,7" }, "governance body"],
                 Post: ["polygon", { points: "14,1 21,13 7,13" }, "post (office holder)"] };
  var presentCls = new Set(nodes.map(function (n) { return n.cls; }));
  legendList("Party class (shape); size: commitments owned", Object.keys(shapes).filter(function (c) { return presentCls.has(c); }).map(function (c) {
    return [svgIcon(function (s, add) { var a = Object.assign({ fill: "#777" }, shapes[c][1]); add(shapes[c][0], a); }), shapes[c][2]];
  }));
  function line(colour, dash, w) {
    return svgIcon(function (s, add) {
      var a = { x1: 1, y1: 7, x2: 27, y2: 7, stroke: colour, "stroke-width": w };
      if (dash) a["stroke-dasharray"] = dash;
      add("line", a);
    });
  }
  legendList("Links (owner \u2192 counterpart)", [
    [line(STATED, "", 2.5), "counterpart named"],
    [line(STATED, "5 3", 2.5), "counterpart inferred (other side)"],
    [line(RECIPROCAL, "", 2.5), "reciprocal (given in return)"],
    [line(MEMBERSHIP, "1.5 3", 2), "member of a group"],
    [line(MEMBERSHIP, "6 3 1.5 3", 2), "unit of an organisation"]]);
  $("summary").textContent = data.subtitle;

  // --- start ----------------------------------------------------------------------
  var api = window.partyGraph = {
    ready: false, totalNodes: nodes.length, visibleNodes: nodes.length, visibleEdges: edges.length, physics: false,
    setFilter: function (name, value) {
      var input = { theme: "f-theme", modality: "f-modality", party: "f-party", members: "f-members" }[name];
      if (name === "members") $(input).checked = !!value; else $(input).value = value;
      state[name] = value; applyFilters(); fit();
    },
    panBy: function (dx, dy) { autoFit = false; view.x += dx; view.y += dy; requestDraw(); },
    select: function (id) { select(nodes.filter(function (n) { return n.id === id; })[0] || null); },
    view: function () { return { x: view.x, y: view.y, k: view.k }; },
    screenPosition: function (id) {   // where a party is drawn, in CSS pixels from the canvas's corner
      var n = nodes.filter(function (m) { return m.id === id; })[0];
      return n ? { x: n.x * view.k + view.x, y: n.y * view.k + view.y } : null;
    }
  };
  window.addEventListener("resize", resize);
  resize();
  applyFilters();
  fit();
  requestAnimationFrame(function () { api.ready = true; });
})();
