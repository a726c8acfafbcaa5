import { areaOf, isRemembered, loadRemembered, remember, type Area, type Credentials } from './credentials.ts';

/**
 * The signed-in state, shared by the API client and the pages. One instance per tab; pages
 * subscribe to re-render on sign-in, token refresh and sign-out.
 */
type Listener = (credentials: Credentials | null) => void;

class Session {
  private credentials: Credentials | null = loadRemembered();
  private remembered = isRemembered();
  private readonly listeners = new Set<Listener>();

  current(): Credentials | null {
    return this.credentials;
  }

  area(): Area | null {
    return this.credentials ? areaOf(this.credentials) : null;
  }

  signIn(credentials: Credentials, rememberIt: boolean): void {
    this.remembered = rememberIt;
    this.replace(credentials);
  }

  /** A refreshed token pair keeps the user's choice about remembering. */
  replace(credentials: Credentials): void {
    this.credentials = credentials;
    remember(this.remembered ? credentials : null);
    this.emit();
  }

  signOut(): void {
    this.credentials = null;
    this.remembered = false;
    remember(null);
    this.emit();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.credentials);
  }
}

export const session = new Session();
