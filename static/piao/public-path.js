// Where Bootstrap Italia loads its fonts from: the static files' address, given by the page.
window.__PUBLIC_PATH__ = document.currentScript.dataset.fonts;
