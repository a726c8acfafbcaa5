/**
 * Who still needs an audio file. Campaigns (their own issue) will implement this so that deleting a
 * file a running campaign plays answers 409 AUDIO_IN_USE; until then nothing uses a file.
 */
export interface AudioUsage {
  /** Ids of the tenant's running campaigns that play this file; empty when none do. */
  runningCampaignsUsing(tenantId: string, audioId: string): Promise<string[]>;
}

export const noAudioUsage: AudioUsage = {
  async runningCampaignsUsing() {
    return [];
  },
};
