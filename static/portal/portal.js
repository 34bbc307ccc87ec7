/* Member portal: the few things a script helps with. No inline script anywhere (CSP). */
(function () {
  "use strict";
  // The e-card's QR code holds a token that expires in minutes: fetch a fresh one each minute.
  var qr = document.getElementById("card-qr");
  if (qr) {
    var seconds = parseInt(qr.getAttribute("data-refresh"), 10) || 60;
    var base = qr.getAttribute("src").split("?")[0];
    setInterval(function () {
      qr.setAttribute("src", base + "?t=" + Date.now());
    }, seconds * 1000);
  }
  // A slow network and a second tap must not send a form twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.getAttribute("data-sent")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sent", "1");
    var submitter = event.submitter;
    if (submitter && submitter.name) {
      // Keep the pressed button's name/value in the request after it is disabled.
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) {
      b.disabled = true;
    });
  });
})();
