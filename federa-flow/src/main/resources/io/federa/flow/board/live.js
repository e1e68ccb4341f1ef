// Live refresh: a page's loop runs while that page is shown (each navigation starts a new page).
import { h } from './dom.js';

let page = 0;

/** Marks a navigation: every loop of the page before ends. */
export function newPage() {
  return ++page;
}

export const shown = (mine) => mine === page;

/** Calls `step` now and then every `ms` while the page is shown and `step` returns true. */
export function live(step, ms = 500) {
  const mine = page;
  const loop = async () => {
    if (mine !== page) return;
    let again = false;
    try {
      again = await step();
    } catch (e) {
      showError(e);
    }
    if (again && mine === page) setTimeout(loop, ms);
  };
  return loop();
}

/** An error where the reader sees it: the message and the fix; a refused token goes to login. */
export function showError(e) {
  if (e.status === 401) {
    location.hash = '#/login';
    return;
  }
  document.getElementById('error')?.remove();
  document.getElementById('main').prepend(h('div', { class: 'error', id: 'error', role: 'alert' },
    h('strong', {}, e.message), e.fix ? h('div', {}, e.fix) : null));
}
