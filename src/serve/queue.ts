/**
 * Runs builds one at a time. A change reported while a build runs queues one follow-up build,
 * however many changes arrive meanwhile; it gets all of their paths.
 */
export class BuildQueue {
  private running: Promise<void> | undefined;
  private queued: Set<string> | undefined;
  private stopped = false;

  /**
   * @param run does one build for the changed paths; it reports its own failures and never rejects
   */
  constructor(private readonly run: (changed: string[]) => Promise<void>) {}

  /**
   * Makes a build started elsewhere (the first one) the running build, so changes meanwhile wait for it.
   * @param build the build
   * @returns the same build
   */
  hold<T>(build: Promise<T>): Promise<T> {
    this.track(build);
    return build;
  }

  /**
   * Asks for a build: it starts now, or after the running one.
   * @param changed the paths that changed
   */
  request(changed: string[]): void {
    if (this.stopped) return;
    if (!this.running) {
      this.track(this.run(changed));
      return;
    }
    this.queued ??= new Set();
    for (const file of changed) this.queued.add(file);
  }

  /** Resolves when no build is running or queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Drops the queued build and accepts no more; a running build finishes. */
  stop(): void {
    this.stopped = true;
    this.queued = undefined;
  }

  private track(build: Promise<unknown>): void {
    const next = (): void => {
      this.running = undefined;
      const queued = this.queued;
      this.queued = undefined;
      if (queued && !this.stopped) this.track(this.run([...queued].sort()));
    };
    // A held build's failure belongs to whoever awaits it; here only its end matters.
    this.running = build.then(next, next);
  }
}
