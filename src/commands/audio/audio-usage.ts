/**
 * Who still needs an audio file: the campaigns that play it. Deleting a file that a running or
 * paused campaign plays answers 409 AUDIO_IN_USE (a paused campaign resumes with the same file).
 * The campaigns feature implements it from its read model; without campaigns nothing uses a file.
 */
export interface AudioUsage {
  /** Ids of the tenant's running or paused campaigns that play this file; empty when none do. */
  campaignsPlaying(tenantId: string, audioId: string): Promise<string[]>;
}

export const noAudioUsage: AudioUsage = {
  async campaignsPlaying() {
    return [];
  },
};
