/**
 * Single-key shortcuts must never fire while a person types: in text fields, selects and editable
 * content every key is theirs. Sliders and checkboxes take arrows (and space), not letters.
 */
export function shortcutBlocked(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return true;
  const target = event.target;
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    const keysOfTheirOwn = ['range', 'checkbox', 'radio', 'button', 'submit', 'reset', 'file'];
    if (!keysOfTheirOwn.includes(target.type)) return true;
    return target.type === 'range' && event.key.startsWith('Arrow');
  }
  return false;
}
