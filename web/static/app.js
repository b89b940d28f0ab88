// Trygg progressive enhancement. Every page works without this file; it
// only adds "Min position" and picking a district by tapping the map
// without reloading the page. No inline handlers: the CSP forbids them.
(function () {
  "use strict";

  // Tapping a district on the map selects it in the list instead of
  // loading the page again (the link's ?omrade= does that without script).
  function enhanceMap(wrap) {
    var select = document.getElementById(wrap.getAttribute("data-area-select"));
    if (!select) return;
    function mark(code) {
      var links = wrap.querySelectorAll("a.district-link");
      for (var i = 0; i < links.length; i++) {
        var on = areaOf(links[i]) === code;
        var path = links[i].querySelector(".district");
        if (path) path.classList.toggle("selected", on);
        if (on) links[i].setAttribute("aria-current", "true");
        else links[i].removeAttribute("aria-current");
      }
    }
    wrap.addEventListener("click", function (e) {
      var link = e.target.closest ? e.target.closest("a.district-link") : null;
      if (!link) return;
      var code = areaOf(link);
      if (!code) return;
      e.preventDefault();
      select.value = code;
      mark(code);
      select.focus();
    });
    select.addEventListener("change", function () { mark(select.value); });
  }

  function areaOf(link) {
    var href = link.getAttribute("href") || "";
    var m = /[?&]omrade=([^&#]*)/.exec(href);
    return m ? decodeURIComponent(m[1].replace(/\+/g, " ")) : "";
  }

  // "Min position" fills the hidden lat/lon fields. The server rounds the
  // point to about 50 m and, when no district is chosen, picks the one
  // that holds the point.
  function enhanceLocate(button) {
    if (!("geolocation" in navigator)) return;
    var box = button.closest(".locate");
    var status = box.querySelector(".js-locate-status");
    var lat = box.querySelector(".js-lat");
    var lon = box.querySelector(".js-lon");
    var select = document.getElementById("area");
    button.hidden = false;
    if (lat.value && lon.value) status.textContent = "Positionen är sparad i formuläret.";
    button.addEventListener("click", function () {
      status.textContent = "Hämtar position …";
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(5);
        lon.value = pos.coords.longitude.toFixed(5);
        if (select && select.value) {
          status.textContent = "Positionen är hämtad och sparas avrundad till cirka 50 meter.";
        } else {
          status.textContent = "Positionen är hämtad. Området väljs utifrån positionen när du sparar, om du inte väljer ett själv.";
        }
      }, function () {
        status.textContent = "Positionen kunde inte hämtas. Välj område i listan eller på kartan.";
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
    });
  }

  // A form with class js-upload shows the progress of a large upload: it
  // is sent with XMLHttpRequest, and the answer replaces the page (a
  // preview) or, after a redirect, the browser goes where the server sent
  // it. A small upload, and any upload without script, posts as usual.
  var largeUpload = 256 * 1024;
  function uploadSize(form) {
    var n = 0;
    var inputs = form.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.type === "file" && el.files) {
        for (var j = 0; j < el.files.length; j++) n += el.files[j].size;
      } else if (el.type === "hidden") {
        n += el.value.length;
      }
    }
    return n;
  }
  function enhanceUpload(form) {
    if (!window.FormData || !window.XMLHttpRequest) return;
    var bar = form.querySelector(".js-upload-progress");
    var status = form.querySelector(".js-upload-status");
    form.addEventListener("submit", function (e) {
      if (uploadSize(form) < largeUpload) return;
      e.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action"));
      if (bar) { bar.hidden = false; bar.value = 0; }
      xhr.upload.addEventListener("progress", function (p) {
        if (!p.lengthComputable) return;
        var pct = Math.round(100 * p.loaded / p.total);
        if (bar) { bar.value = pct; bar.textContent = pct + " %"; }
        if (status) status.textContent = "Skickar: " + pct + " %";
      });
      xhr.addEventListener("load", function () {
        var sent = form.getAttribute("action");
        if (xhr.responseURL && xhr.responseURL.indexOf(sent) < 0) {
          window.location.assign(xhr.responseURL);
          return;
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        if (status) status.textContent = "Filerna kunde inte skickas. Försök igen.";
      });
      if (status) status.textContent = "Skickar …";
      xhr.send(new FormData(form));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // After a refused form, start at the list of errors, whose links lead
    // to the fields.
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
    var maps = document.querySelectorAll(".js-area-map");
    for (var i = 0; i < maps.length; i++) enhanceMap(maps[i]);
    var buttons = document.querySelectorAll(".js-locate");
    for (var j = 0; j < buttons.length; j++) enhanceLocate(buttons[j]);
    var uploads = document.querySelectorAll("form.js-upload");
    for (var k = 0; k < uploads.length; k++) enhanceUpload(uploads[k]);
  });
})();
