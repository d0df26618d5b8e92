// Three admin controls Wagtail draws without an accessible name, so screen readers announce
// an unnamed box: the tag field's typing input (jQuery tag-it), each rich-text editor of the
// story body (Draftail), and the workflow action dialogs (Wagtail's older modal). Each gets
// the name a sighted person reads next to it.
(() => {
  const text = (element) => (element ? element.textContent.replace('*', '').trim() : '');

  const nameControls = () => {
    document.querySelectorAll('input.ui-autocomplete-input:not([aria-label])').forEach((input) => {
      const label = input.closest('.w-field, [data-field-wrapper]')?.querySelector('label');
      input.setAttribute('aria-label', text(label) || 'Tags');
    });
    document
      .querySelectorAll('.public-DraftEditor-content[role="textbox"]:not([aria-label])')
      .forEach((editor) => {
        const block = editor.closest('[data-streamfield-child], .w-field');
        const label = block?.querySelector('.c-sf-block__type, label');
        editor.setAttribute('aria-label', text(label) || 'Rich text');
      });
    document
      .querySelectorAll('.modal[role="dialog"]:not([aria-label]):not([aria-labelledby])')
      .forEach((modal) => {
        const heading = modal.querySelector('h1, h2');
        if (heading) modal.setAttribute('aria-label', text(heading));
      });
  };
  nameControls();
  new MutationObserver(nameControls).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
})();
