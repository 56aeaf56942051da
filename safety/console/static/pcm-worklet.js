// Microphone -> 20 ms frames of PCM16LE mono 16 kHz (320 samples), posted to the page as ArrayBuffers.
// If the AudioContext could not run at 16 kHz, samples are resampled here by linear interpolation.
class PcmCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.ratio = sampleRate / 16000;
    this.pos = 0;
    this.frame = new Int16Array(320);
    this.n = 0;
    this.level = 0;
  }
  push(s) {
    const v = Math.max(-1, Math.min(1, s));
    this.frame[this.n++] = v < 0 ? v * 0x8000 : v * 0x7fff;
    this.level = Math.max(this.level * 0.999, Math.abs(v));
    if (this.n === 320) {
      this.port.postMessage({ frame: this.frame.buffer, level: this.level }, [this.frame.buffer]);
      this.frame = new Int16Array(320);
      this.n = 0;
    }
  }
  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    if (this.ratio === 1) {
      for (let i = 0; i < input.length; i++) this.push(input[i]);
    } else {
      while (this.pos < input.length - 1) {
        const i = Math.floor(this.pos), f = this.pos - i;
        this.push(input[i] * (1 - f) + input[i + 1] * f);
        this.pos += this.ratio;
      }
      this.pos -= input.length;
    }
    return true;
  }
}
registerProcessor('pcm-capture', PcmCapture);
