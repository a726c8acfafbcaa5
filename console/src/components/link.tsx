import type { ComponentChildren } from 'preact';
import { hrefOf, navigate } from '../router.ts';

type LinkProps = {
  to: string;
  children: ComponentChildren;
  class?: string;
  title?: string;
  'aria-current'?: 'page' | undefined;
  'aria-label'?: string;
  'data-testid'?: string;
  onClick?: () => void;
};

/** An ordinary link (it opens in a new tab, it is keyboard reachable) that navigates in place on a plain click. */
export function Link({ to, children, onClick, ...rest }: LinkProps) {
  const follow = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onClick?.();
    navigate(to);
  };
  return (
    <a {...rest} href={hrefOf(to)} onClick={follow}>
      {children}
    </a>
  );
}
