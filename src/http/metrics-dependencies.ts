/** What the HTTP layer needs of the engine's metrics (src/app/metrics). */
export type MetricsDependencies = {
  /** `route` is a route template (`/api/v1/calls/:id`) or `unmatched`: never a raw path with ids in it. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** The Prometheus text exposition. */
  render(): Promise<{ contentType: string; body: string }>;
  isOperator(token: string): Promise<boolean>;
};
