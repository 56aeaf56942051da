// Browser softphone for WS /call: microphone -> 16 kHz PCM16 frames; line audio <- PCM16 frames.
(() => {
  const $ = (id) => document.getElementById(id);
  let ws = null, ctx = null, stream = null, node = null, source = null;
  let playhead = 0;
  const playing = new Set();

  function status(text) { $("status").textContent = text; }

  function logLine(who, text) {
    const li = document.createElement("li");
    li.className = who;
    li.textContent = (who === "line" ? "Line: " : "You: ") + text;
    $("log").appendChild(li);
  }

  function play(buffer) {
    const pcm = new Int16Array(buffer);
    const audio = ctx.createBuffer(1, pcm.length, 16000);
    const ch = audio.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) ch[i] = pcm[i] / 32768;
    const src = ctx.createBufferSource();
    src.buffer = audio;
    src.connect(ctx.destination);
    const now = ctx.currentTime;
    if (playhead < now + 0.02) playhead = now + 0.05;  // small jitter buffer after a gap
    src.start(playhead);
    playhead += audio.duration;
    playing.add(src);
    src.onended = () => playing.delete(src);
  }

  function clearPlayback() {  // barge-in: drop everything queued at once
    for (const src of playing) { try { src.stop(); } catch (e) { /* already stopped */ } }
    playing.clear();
    playhead = ctx ? ctx.currentTime : 0;
  }

  function onEvent(msg) {
    if (msg.event === "clear") { clearPlayback(); return; }
    if (msg.event === "call.transcript" && msg.final) logLine("you", msg.text);
    if (msg.event === "call.reply" && msg.text) logLine("line", msg.text);
    if (msg.event === "call.ended") status("The call has ended.");
  }

  async function call() {
    $("call").disabled = true;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
      ctx = new AudioContext();
      await ctx.audioWorklet.addModule("/static/pcm-worklet.js");
      source = ctx.createMediaStreamSource(stream);
      node = new AudioWorkletNode(ctx, "pcm-capture");
      source.connect(node);
      const scheme = location.protocol === "https:" ? "wss:" : "ws:";
      ws = new WebSocket(`${scheme}//${location.host}/call`);
      ws.binaryType = "arraybuffer";
      ws.onopen = () => {
        ws.send(JSON.stringify({ event: "start", caller: null }));
        node.port.onmessage = (e) => { if (ws && ws.readyState === WebSocket.OPEN) ws.send(e.data); };
        status("Connected. Speak whenever you are ready.");
        $("hangup").disabled = false;
      };
      ws.onmessage = (e) => {
        if (typeof e.data === "string") onEvent(JSON.parse(e.data));
        else play(e.data);
      };
      ws.onclose = () => { cleanup(); status("The call has ended."); };
      ws.onerror = () => status("Could not reach the line.");
    } catch (err) {
      status("Microphone not available: " + err.message);
      cleanup();
    }
  }

  function hangup() {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ event: "stop" }));
    cleanup();
  }

  function cleanup() {
    if (node) node.port.onmessage = null;
    if (stream) stream.getTracks().forEach((t) => t.stop());
    if (ws && ws.readyState <= WebSocket.OPEN) { try { ws.close(); } catch (e) { /* closing */ } }
    if (ctx) { clearPlayback(); ctx.close(); }
    ws = ctx = stream = node = source = null;
    $("call").disabled = false;
    $("hangup").disabled = true;
  }

  $("call").onclick = call;
  $("hangup").onclick = hangup;
  $("show").onchange = (e) => { $("log").hidden = !e.target.checked; };
})();
