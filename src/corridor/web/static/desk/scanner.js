// Reading QR cards with the device's camera: the browser's BarcodeDetector where it reads QR codes, else jsQR
// (loaded from /vendor/ only when the camera is opened, so a screen's first load stays small). The same card is
// reported once until another is read or two seconds pass, so a card held in front of the camera boards once.
(function () {
  "use strict";
  var stream = null, timer = null, last = "", lastAt = 0;
  var canvas = document.createElement("canvas");
  var ctx = canvas.getContext("2d", {willReadFrequently: true});

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) { return Promise.resolve(null); }
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({formats: ["qr_code"]}) : null;
    }, function () { return null; });
  }
  function loadJsQR() {
    if (window.jsQR) { return Promise.resolve(); }
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = "/vendor/jsQR.js"; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  function reader(video) {
    return nativeDetector().then(function (detector) {
      if (detector) {
        return function () {
          return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
        };
      }
      return loadJsQR().then(function () {
        return function () {
          var w = video.videoWidth, h = video.videoHeight;
          if (!w || !h) { return Promise.resolve(null); }
          canvas.width = w; canvas.height = h;
          ctx.drawImage(video, 0, 0, w, h);
          var code = window.jsQR(ctx.getImageData(0, 0, w, h).data, w, h, {inversionAttempts: "dontInvert"});
          return Promise.resolve(code ? code.data : null);
        };
      });
    });
  }

  function start(video, onToken) {
    return navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false})
      .then(function (s) {
        stream = s; video.srcObject = s; video.hidden = false;
        return video.play().then(function () { return reader(video); });
      })
      .then(function (read) {
        function tick() {
          if (!stream) { return; }
          read().then(function (text) {
            var now = performance.now();
            if (text && (text !== last || now - lastAt > 2000)) {
              last = text; lastAt = now;
              onToken(text.trim(), now);
            } else if (text) { lastAt = now; }
          }).catch(function () {}).then(function () { timer = setTimeout(tick, 120); });
        }
        tick();
      });
  }
  function stop(video) {
    if (timer) { clearTimeout(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true; video.srcObject = null;
  }
  window.deskScanner = {start: start, stop: stop, active: function () { return !!stream; }};
})();
