import type { Page } from 'playwright-core';

/**
 * The elements of the current page (the `<section class="page">` the shell frames) that stick out
 * of it to the right: what would make a narrow screen scroll sideways. Tables scroll inside their
 * own frame, so what is inside `.table-wrap` is not counted; the shell's top bar is the layout's
 * business and is not measured here. Evaluated as text: the test code carries no DOM types.
 */
export function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const section = document.querySelector('section.page');
    const edge = section.getBoundingClientRect().right + 0.5;
    return [...section.querySelectorAll('*')]
      .filter((element) => !element.closest('.table-wrap') && element.getBoundingClientRect().right > edge)
      .map((element) => element.tagName.toLowerCase() + (element.id ? '#' + element.id : ''));
  })()`);
}

export const NARROW = { width: 380, height: 800 };
