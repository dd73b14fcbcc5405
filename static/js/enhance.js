// Loaded in <head>, before the page paints: styles that need JavaScript (the collapsing
// menu) key on this class; without it the menu stays open (static/css/portal.css).
document.documentElement.classList.add("js");
