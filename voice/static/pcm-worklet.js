// Captures microphone audio at the context's rate and posts 20 ms frames of PCM16 at 16 kHz.
class PcmCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ratio = sampleRate / 16000;  // e.g. 3 at 48 kHz
    this.pos = 0;                     // fractional read position into the input
    this.acc = [];                    // 16 kHz samples waiting to fill a frame
  }
  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    // Box-filter decimation: average the input samples that fall into each output sample.
    let i = this.pos;
    while (i < input.length) {
      const start = Math.floor(i), end = Math.min(input.length, Math.floor(i + this.ratio));
      let sum = 0, n = 0;
      for (let k = start; k < Math.max(end, start + 1); k++) { sum += input[k]; n++; }
      this.acc.push(sum / n);
      i += this.ratio;
    }
    this.pos = i - input.length;
    while (this.acc.length >= 320) {
      const frame = this.acc.splice(0, 320);
      const pcm = new Int16Array(320);
      for (let k = 0; k < 320; k++) {
        const s = Math.max(-1, Math.min(1, frame[k]));
        pcm[k] = s < 0 ? s * 0x8000 : s * 0x7fff;
      }
      this.port.postMessage(pcm.buffer, [pcm.buffer]);
    }
    return true;
  }
}
registerProcessor("pcm-capture", PcmCapture);
