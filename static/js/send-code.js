// Progressive enhancement of the "获取验证码" button (templates/accounts/_send_code.html): once a
// code has been sent the button waits out the resend interval, counting down, so the citizen is
// not refused for asking too soon. Without JavaScript the button stays usable and the server
// explains the wait.
(function () {
  "use strict";
  var button = document.querySelector("button[name='send_code'][data-resend-seconds]");
  if (!button) { return; }
  var label = button.textContent;
  var left = parseInt(button.getAttribute("data-resend-seconds"), 10) || 0;
  function tick() {
    if (left <= 0) {
      button.disabled = false;
      button.textContent = label;
      return;
    }
    button.disabled = true;
    button.textContent = label + "（" + left + "s）";
    left -= 1;
    window.setTimeout(tick, 1000);
  }
  tick();
})();
