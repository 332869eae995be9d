/* Lapor Kudus: progressive enhancement of the complaint form (/lapor/) and of the page shown
   after submitting. Everything here is optional: without it the server-rendered form works
   as it is. Texts come from data-* attributes, so they are translated with the page. */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function normalise(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  /* Error summary or refusal: move focus there, so a screen reader reads it first. */
  function focusErrors() {
    var box = document.querySelector("[data-focus-on-load]");
    if (box) { box.focus(); }
  }

  /* Elements only needed without JavaScript (htmx does their job live). */
  function hideNoJsOnly() {
    if (!window.htmx) { return; }
    document.querySelectorAll("[data-nojs-only]").forEach(function (el) { el.hidden = true; });
  }

  /* Live character counter under the report text. */
  function textCounter() {
    var counter = document.querySelector("[data-text-counter]");
    var textarea = document.getElementById("id_text");
    if (!counter || !textarea) { return; }
    var min = parseInt(counter.dataset.min, 10);
    var max = parseInt(counter.dataset.max, 10);
    function update() {
      // The server counts the trimmed text, and a line break as one character.
      var length = textarea.value.replace(/\r\n/g, "\n").trim().length;
      if (length < min) {
        counter.textContent = fill(counter.dataset.shortText, { n: min - length });
        counter.classList.add("text-counter-short");
      } else {
        counter.textContent = fill(counter.dataset.okText, { n: length, max: max });
        counter.classList.remove("text-counter-short");
      }
    }
    counter.hidden = false;
    textarea.addEventListener("input", update);
    update();
  }

  /* A filter box above the category select: rebuilds the options that match. */
  function categoryFilter() {
    var box = document.querySelector("[data-category-filter]");
    var select = document.getElementById("id_category");
    if (!box || !select) { return; }
    var input = box.querySelector("input");
    var status = document.getElementById("category-filter-status");
    var original = Array.prototype.map.call(select.children, function (node) {
      return node.cloneNode(true);
    });
    box.hidden = false;
    input.addEventListener("input", function () {
      var query = normalise(input.value.trim());
      var current = select.value;
      var matches = 0;
      var lastMatch = null;
      select.replaceChildren();
      original.forEach(function (node) {
        if (node.tagName === "OPTGROUP") {
          var groupHit = normalise(node.label).indexOf(query) !== -1;
          var group = node.cloneNode(false);
          Array.prototype.forEach.call(node.children, function (option) {
            var hit = !query || groupHit || normalise(option.textContent).indexOf(query) !== -1;
            // The chosen category stays, so filtering never changes the answer silently.
            if (hit || option.value === current) {
              group.appendChild(option.cloneNode(true));
              if (hit) { matches += 1; lastMatch = option.value; }
            }
          });
          if (group.children.length) { select.appendChild(group); }
        } else {
          var keep = node.value === "" || !query || node.value === current ||
            normalise(node.textContent).indexOf(query) !== -1;
          if (keep) {
            select.appendChild(node.cloneNode(true));
            if (node.value !== "" && query && normalise(node.textContent).indexOf(query) !== -1) {
              matches += 1; lastMatch = node.value;
            }
          }
        }
      });
      select.value = current;
      if (query && matches === 1 && !current) {
        select.value = lastMatch;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      if (!query) {
        status.textContent = "";
      } else if (matches === 0) {
        status.textContent = input.dataset.noneText;
      } else {
        status.textContent = matches + " " + input.dataset.countText;
      }
    });
  }

  /* Choosing a desa first fills in its kecamatan (without asking htmx to reload the desa). */
  function desaSetsKecamatan() {
    var desa = document.getElementById("id_desa");
    var kecamatan = document.getElementById("id_kecamatan");
    if (!desa || !kecamatan) { return; }
    desa.addEventListener("change", function () {
      var option = desa.options[desa.selectedIndex];
      var owner = option && option.dataset.kecamatan;
      if (owner && kecamatan.value !== owner) { kecamatan.value = owner; }
    });
  }

  /* The map pin: Leaflet with the tile server from the settings; the hidden lat/lng inputs. */
  function mapPin() {
    var element = document.getElementById("report-map");
    var lat = document.getElementById("id_lat");
    var lng = document.getElementById("id_lng");
    if (!element || !lat || !lng || !window.L) { return; }
    var status = document.querySelector("[data-map-status]");
    var actions = document.querySelector("[data-map-actions]");
    var offline = document.querySelector("[data-map-offline]");
    var center = element.dataset.center.split(",").map(parseFloat);
    var map;
    try {
      element.replaceChildren();
      map = L.map(element, { scrollWheelZoom: false }).setView(center, parseInt(element.dataset.zoom, 10));
    } catch (error) {
      return;  // the fallback text is gone only if the map itself is there
    }
    element.classList.add("map-ready");
    var tiles = L.tileLayer(element.dataset.tileUrl, {
      maxZoom: 19, attribution: element.dataset.attribution
    }).addTo(map);
    // No tile server reachable (a closed network, a setting gone wrong): say so on the map;
    // the pin still works, and the address field is enough.
    var failures = 0;
    if (offline) {
      offline.classList.add("map-failed-note");
      element.appendChild(offline);
    }
    tiles.on("tileerror", function () {
      failures += 1;
      if (failures >= 3 && offline) { offline.hidden = false; }
    });
    tiles.on("tileload", function () { if (offline) { offline.hidden = true; } failures = 0; });
    var icon = L.icon({
      iconUrl: element.dataset.markerIcon,
      iconRetinaUrl: element.dataset.markerIcon2x,
      shadowUrl: element.dataset.markerShadow,
      iconSize: [25, 41], iconAnchor: [12, 41], shadowSize: [41, 41]
    });
    var marker = null;

    function show(latlng) {
      if (!latlng) {
        if (marker) { map.removeLayer(marker); marker = null; }
        lat.value = ""; lng.value = "";
        status.textContent = status.dataset.noneText;
        return;
      }
      var la = latlng.lat.toFixed(6);
      var ln = L.Util.wrapNum(latlng.lng, [-180, 180], true).toFixed(6);
      lat.value = la; lng.value = ln;
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.marker(latlng, { icon: icon, keyboard: false }).addTo(map);
      }
      status.textContent = status.dataset.setText + ": " + la + ", " + ln;
    }

    if (lat.value && lng.value) {
      var start = L.latLng(parseFloat(lat.value), parseFloat(lng.value));
      show(start);
      map.setView(start, 16);
    }
    map.on("click", function (event) { show(event.latlng); });
    actions.hidden = false;
    actions.querySelector("[data-map-center]").addEventListener("click", function () {
      show(map.getCenter());
    });
    actions.querySelector("[data-map-clear]").addEventListener("click", function () {
      show(null);
    });
    var locate = actions.querySelector("[data-map-locate]");
    if (navigator.geolocation && window.isSecureContext) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (position) {
          var here = L.latLng(position.coords.latitude, position.coords.longitude);
          map.setView(here, 17);
          show(here);
        }, function () {
          status.textContent = status.dataset.locateError;
        }, { enableHighAccuracy: true, timeout: 10000 });
      });
    }
  }

  /* The chosen files, with a warning before sending when there are too many or too large. */
  function fileList() {
    var input = document.getElementById("id_attachments");
    var list = document.querySelector("[data-file-list]");
    if (!input || !list) { return; }
    var maxFiles = parseInt(list.dataset.maxFiles, 10);
    var maxBytes = parseInt(list.dataset.maxBytes, 10);
    input.addEventListener("change", function () {
      list.replaceChildren();
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        var size = (file.size / (1024 * 1024)).toFixed(1) + " MB";
        item.textContent = file.name + " (" + size + ")";
        if (file.size > maxBytes) {
          item.textContent += " — " + list.dataset.tooBig;
          item.className = "file-problem";
        }
        list.appendChild(item);
      });
      if (input.files.length > maxFiles) {
        var warning = document.createElement("li");
        warning.className = "file-problem";
        warning.textContent = list.dataset.tooMany;
        list.appendChild(warning);
      }
      list.hidden = input.files.length === 0;
      var note = document.getElementById("files-note");
      if (note && input.files.length) { note.hidden = true; }
    });
  }

  /* One click sends once: the submit button is disabled while the report is on its way. */
  function sendOnce() {
    var form = document.getElementById("report-form");
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.hasAttribute("data-submit")) { return; }
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      button.setAttribute("aria-disabled", "true");
      button.textContent = form.dataset.sending;
    });
    // Coming back with the browser's back button: the form may be sent again.
    window.addEventListener("pageshow", function () { delete form.dataset.sent; });
  }

  /* The page after submitting: copy buttons and a print button. */
  function receipt() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) { return; }
      var source = document.querySelector(button.dataset.copy);
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          button.textContent = button.dataset.copied;
          setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
    var print = document.querySelector("[data-print]");
    if (print && window.print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  }

  focusErrors();
  hideNoJsOnly();
  textCounter();
  categoryFilter();
  desaSetsKecamatan();
  mapPin();
  fileList();
  sendOnce();
  receipt();
})();
