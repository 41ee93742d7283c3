// The header's menu at phone width: a button opens and closes the navigation. Without this
// file (or at desktop width) the navigation is simply shown.
(function () {
  "use strict";
  var button = document.querySelector("button.menu-toggle");
  var menu = document.getElementById("menu");
  if (!button || !menu) { return; }
  document.documentElement.classList.add("menu-js");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  });
})();
