/** Where the sample app mounts the probe. */
export const PROBE_PATH = "/__authprobe";
