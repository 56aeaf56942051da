// Warmline operator console: plain JS, no build step. Talks to /console/events (live bus events),
// /console/api/* (sign-in, accept, listen, ack, resolve) and /console/audio/{call} (voice bridge).
'use strict';

const $ = (id) => document.getElementById(id);
const LEVELS = ['none', 'low', 'moderate', 'high', 'imminent'];
const rank = (l) => Math.max(0, LEVELS.indexOf(l));
const RISK_WORDS = /\b(kill(?:ing)? myself|kill|die|dying|dead|suicid\w*|end (?:it|my life|things)|hurt(?:ing)? myself|self[- ]harm|overdose|pills|a plan|goodbye|no reason to live|can'?t go on|hopeless|tonight|gun|knife|rope|bridge)\b/gi;

const S = {
  me: null, csrf: null, ws: null, calls: new Map(), escs: new Map(), selected: null,
  wall: {}, audio: null, retry: 500, lastBeep: 0, sound: null,
};

function esc(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
function highlight(text) { return esc(text).replace(RISK_WORDS, (m) => `<mark>${m}</mark>`); }
function mmss(s) { s = Math.max(0, Math.floor(s)); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; }
function shortId(id) { return String(id || '').slice(-6); }

// ---- HTTP ------------------------------------------------------------------------------------
async function api(path, body) {
  const opts = { method: body === undefined ? 'GET' : 'POST', credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.headers['X-CSRF-Token'] = S.csrf || '';
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) { const err = new Error((data && data.detail) || r.statusText); err.status = r.status; throw err; }
  return data;
}

// ---- sign-in ---------------------------------------------------------------------------------
async function boot() {
  try {
    const me = await api('/console/api/me');
    signedIn(me);
  } catch (e) {
    $('signin').hidden = false;
  }
}

function signedIn(me) {
  S.me = me; S.csrf = me.csrf_token;
  $('signin').hidden = true; $('app').hidden = false; $('logout').hidden = false;
  $('me-name').textContent = `${me.username} (${me.role})`;
  ensureSound();
  connect();
}

$('signin-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('signin-error').textContent = '';
  try {
    const me = await api('/console/login', { username: $('username').value, password: $('password').value });
    $('password').value = '';
    signedIn(me);
  } catch (e) {
    $('signin-error').textContent = e.status === 429 ? 'Too many attempts. Wait a few minutes.' : 'Wrong username or password.';
  }
});

$('logout').addEventListener('click', async () => {
  try { await api('/console/logout', {}); } catch (e) { /* signed out anyway */ }
  location.reload();
});

// ---- live events -----------------------------------------------------------------------------
function connect() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${proto}//${location.host}/console/events`);
  S.ws = ws;
  ws.onopen = () => { S.retry = 500; };
  ws.onmessage = (m) => { try { onEvent(JSON.parse(m.data)); } catch (e) { console.error(e); } };
  ws.onclose = (ev) => {
    if (ev.code === 4401) { location.reload(); return; }
    setTimeout(connect, S.retry); S.retry = Math.min(S.retry * 2, 10000);
  };
}

function callFor(id) {
  if (!S.calls.has(id)) S.calls.set(id, { call_id: id, started_at: Date.now() / 1000, level: 'none', kind: 'none', risk: [], lines: [], signals: [] });
  return S.calls.get(id);
}

function onEvent(e) {
  switch (e.event) {
    case 'snapshot':
      S.calls = new Map(e.calls.map((c) => [c.call_id, { lines: [], ...c }]));
      S.escs = new Map(e.escalations.map((x) => [x.escalation_id, x]));
      S.wall = e.wallboard; break;
    case 'call.started': Object.assign(callFor(e.call_id), { started_at: e.ts, transport: e.transport, caller: e.caller }); break;
    case 'call.ended': { const c = S.calls.get(e.call_id); if (c) c.ended = true; S.calls.delete(e.call_id); break; }
    case 'call.transcript': if (e.final) callFor(e.call_id).lines.push({ who: 'caller', text: e.text, turn: e.turn, ts: e.ts }); break;
    case 'call.reply': callFor(e.call_id).lines.push({ who: 'line', text: e.text, turn: e.turn, ts: e.ts }); break;
    case 'risk.assessed': {
      const c = callFor(e.call_id);
      c.level = e.call_level || c.level; c.kind = e.call_kind || c.kind;
      if (e.final !== false) {
        c.risk.push([e.ts, e.turn, e.level]);
        for (let i = c.lines.length - 1; i >= 0; i--) {
          const l = c.lines[i];
          if (l.who === 'caller' && l.turn === e.turn) { l.level = e.level; l.signals = e.signals || []; break; }
        }
      }
      break;
    }
    case 'escalation.opened': { const c = callFor(e.call_id); c.escalation_id = e.escalation_id; c.level = e.level; beep(true); break; }
    case 'escalation.state': S.escs.set(e.escalation.escalation_id, e.escalation); break;
    case 'wallboard': S.wall = e; break;
    default: break;
  }
  if (e.event === 'escalation.resolved' && S.audio && S.audio.escalationId === e.escalation_id) stopAudio();
  render();
}

async function refreshLive() {
  try {
    const snap = await api('/console/api/live');
    for (const c of snap.calls) {
      const mine = S.calls.get(c.call_id);
      S.calls.set(c.call_id, { ...(mine || {}), ...c, lines: c.lines || (mine && mine.lines) || [] });
    }
    for (const x of snap.escalations) S.escs.set(x.escalation_id, x);
    S.wall = snap.wallboard;
  } catch (e) { console.warn('live snapshot failed', e); }
}

// ---- rendering -------------------------------------------------------------------------------
function render() { renderWall(); renderQueue(); renderCalls(); renderDetail(); }

function renderWall() {
  const w = S.wall || {};
  $('wb-active').textContent = w.active_calls ?? 0;
  $('wb-waiting').textContent = w.waiting ?? 0;
  $('wb-answered').textContent = w.answered ?? 0;
  $('wb-abandoned').textContent = w.abandoned ?? 0;
  $('wb-median').textContent = w.median_answer_s == null ? '–' : `${mmss(w.median_answer_s)}`;
}

function sortedEscs() {
  return [...S.escs.values()].filter((x) => !x.resolved_at).sort((a, b) =>
    (b.waiting - a.waiting) || (rank(b.level) - rank(a.level)) || (a.opened_at - b.opened_at));
}

function stateText(x) {
  if (x.resolved_at) return `resolved: ${x.outcome}`;
  if (x.connected_at) return `connected${x.operator ? ' to ' + x.operator : ' (' + x.connected_via + ')'}`;
  if (x.caller_left_at) return 'caller hung up';
  if (x.state === 'holding') return 'nobody answered: line is holding, retrying';
  if (x.state === 'ringing') return `ringing ${x.target === 'console' ? 'console' : 'phone'} (attempt ${x.attempts})`;
  return x.state;
}

function renderQueue() {
  const list = sortedEscs();
  $('queue-empty').hidden = list.length > 0;
  $('alarm').hidden = !list.some((x) => x.waiting && !x.acknowledged_at);
  const mine = (x) => S.me && x.operator === S.me.username;
  $('queue').innerHTML = list.map((x) => `
    <li class="esc lvl-${esc(x.level)} ${x.waiting && !x.acknowledged_at ? 'unacked' : ''} ${S.selected === x.call_id ? 'selected' : ''}"
        data-call="${esc(x.call_id)}" data-esc="${esc(x.escalation_id)}">
      <div class="row"><span><span class="badge ${esc(x.level)}">${esc(x.level)}</span> ${esc(x.kind.replace('_', ' '))}</span>
        <span class="timer" data-opened="${x.opened_at}" data-until="${x.connected_at || x.caller_left_at || ''}">${mmss(Date.now() / 1000 - x.opened_at)}</span></div>
      <div class="sig">${esc((x.signals || []).join(' · '))}</div>
      <div class="sig">${esc(stateText(x))} · call ${esc(shortId(x.call_id))}</div>
      <div class="actions">
        ${x.waiting ? `<button class="primary" data-act="accept">Accept</button>` : ''}
        ${(S.me && S.me.role === 'supervisor') || mine(x) ? `<button data-act="listen">Listen</button>` : ''}
        ${x.waiting && !x.acknowledged_at ? `<button data-act="ack">Acknowledge</button>` : ''}
      </div>
    </li>`).join('');
}

function renderCalls() {
  const calls = [...S.calls.values()].sort((a, b) => (rank(b.level) - rank(a.level)) || (a.started_at - b.started_at));
  $('calls-empty').hidden = calls.length > 0;
  $('calls').innerHTML = calls.map((c) => `
    <li class="call ${S.selected === c.call_id ? 'selected' : ''}" data-call="${esc(c.call_id)}">
      <span><span class="badge ${esc(c.level)}">${esc(c.level)}</span> call ${esc(shortId(c.call_id))}</span>
      <span class="meta">${esc(c.transport || '')} · ${mmss(Date.now() / 1000 - c.started_at)}</span>
    </li>`).join('');
}

function escForCall(id) {
  return [...S.escs.values()].filter((x) => x.call_id === id).sort((a, b) => b.opened_at - a.opened_at)[0];
}

function renderDetail() {
  const id = S.selected;
  const c = id && S.calls.get(id);
  const x = id && escForCall(id);
  $('detail-empty').hidden = !!(c || x);
  $('detail-body').hidden = !(c || x);
  if (!(c || x)) return;
  const level = (c && c.level) || (x && x.level) || 'none';
  $('d-level').className = `badge ${level}`; $('d-level').textContent = level;
  $('d-title').textContent = `Call ${shortId(id)}${c && c.transport ? ' · ' + c.transport : ''}${c ? '' : ' (ended)'}`;
  $('d-state').textContent = x ? stateText(x) : '';
  $('riskstrip').innerHTML = ((c && c.risk) || []).map((r) => `<i class="${esc(r[2])}" title="turn ${esc(r[1])}: ${esc(r[2])}"></i>`).join('');
  const brief = x && x.brief;
  $('brief').hidden = !brief;
  if (brief) $('brief').textContent = brief.text;
  const lines = (c && c.lines) || [];
  const box = $('transcript');
  const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 20;
  box.innerHTML = lines.length ? lines.map((l) => `
    <li class="${l.who} ${l.level ? 'risk-' + esc(l.level) : ''}"><span class="who">${l.who === 'caller' ? 'Caller' : 'Line'}${l.level && l.level !== 'none' ? ' · ' + esc(l.level) : ''}</span>
      ${l.who === 'caller' ? highlight(l.text) : esc(l.text)}
      ${l.signals && l.signals.length ? `<div class="chips">${l.signals.map((s) => `<span>${esc(s)}</span>`).join('')}</div>` : ''}</li>`).join('')
    : '<li class="empty">Transcript is shown to the operator who takes the call, and to supervisors.</li>';
  if (atEnd) box.scrollTop = box.scrollHeight;
  const canResolve = x && !x.resolved_at && S.me && (S.me.role === 'supervisor' || x.operator === S.me.username);
  $('resolve').hidden = !canResolve;
  $('resolve').dataset.esc = x ? x.escalation_id : '';
  $('bridge').hidden = !(S.audio && S.audio.callId === id);
}

// ---- clicks ----------------------------------------------------------------------------------
document.addEventListener('click', async (ev) => {
  const btn = ev.target.closest('button[data-act]');
  const card = ev.target.closest('[data-call]');
  ensureSound();
  if (card) { S.selected = card.dataset.call; }
  if (btn) {
    const escId = btn.closest('[data-esc]').dataset.esc;
    const act = btn.dataset.act;
    btn.disabled = true;
    try {
      const x = await api(`/console/api/escalations/${escId}/${act}`, {});
      S.escs.set(x.escalation_id, x);
      if (act === 'accept' || act === 'listen') await refreshLive();  // the call's words are now ours to see
      if (act === 'accept') await startAudio(x.call_id, 'talk', x.escalation_id);
      if (act === 'listen') await startAudio(x.call_id, 'listen', x.escalation_id);
    } catch (e) {
      alert(`Could not ${act}: ${e.message}`);
    }
  }
  render();
});

$('resolve').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const escId = $('resolve').dataset.esc;
  try {
    await api(`/console/api/escalations/${escId}/resolve`, { outcome: $('outcome').value, notes: $('notes').value });
    const x = S.escs.get(escId); if (x) { x.resolved_at = Date.now() / 1000; x.outcome = $('outcome').value; }
    $('notes').value = '';
    stopAudio();
  } catch (e) { alert(`Could not resolve: ${e.message}`); }
  render();
});

// ---- alarm sound (WebAudio beep, until acknowledged) -------------------------------------------
function ensureSound() {
  if (!S.sound) { try { S.sound = new AudioContext(); } catch (e) { S.sound = null; } }
  if (S.sound && S.sound.state === 'suspended') S.sound.resume();
}

function beep(force) {
  const now = Date.now();
  if (!S.sound || (!force && now - S.lastBeep < 2500)) return;
  S.lastBeep = now;
  const t = S.sound.currentTime;
  for (const [dt, f] of [[0, 880], [0.18, 660]]) {
    const o = S.sound.createOscillator(), g = S.sound.createGain();
    o.frequency.value = f; o.type = 'sine';
    g.gain.setValueAtTime(0.0001, t + dt); g.gain.exponentialRampToValueAtTime(0.25, t + dt + 0.02);
    g.gain.exponentialRampToValueAtTime(0.0001, t + dt + 0.15);
    o.connect(g).connect(S.sound.destination); o.start(t + dt); o.stop(t + dt + 0.16);
  }
  document.title = document.title.startsWith('● ') ? document.title : '● ' + document.title;
}

setInterval(() => {
  const now = Date.now() / 1000;
  document.querySelectorAll('.timer').forEach((el) => {
    const until = parseFloat(el.dataset.until) || now;
    el.textContent = mmss(until - parseFloat(el.dataset.opened));
  });
  const unacked = [...S.escs.values()].some((x) => x.waiting && !x.resolved_at && !x.acknowledged_at);
  if (unacked) beep(false); else document.title = document.title.replace(/^● /, '');
}, 1000);

// ---- voice bridge: microphone -> 16 kHz PCM frames -> WS; caller audio <- WS --------------------
async function startAudio(callId, mode, escalationId) {
  stopAudio();
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ctx = new AudioContext({ sampleRate: 16000 });
  const a = { callId, mode, escalationId, ctx, ws: null, stream: null, node: null, playHead: 0, muted: false, sent: 0, heard: 0 };
  S.audio = a;
  window.warmlineAudio = a; // for diagnostics
  const ws = new WebSocket(`${proto}//${location.host}/console/audio/${encodeURIComponent(callId)}?mode=${mode}`);
  ws.binaryType = 'arraybuffer';
  a.ws = ws;
  ws.onmessage = (m) => {
    if (!(m.data instanceof ArrayBuffer)) return;
    const i16 = new Int16Array(m.data);
    const buf = ctx.createBuffer(1, i16.length, 16000);
    const ch = buf.getChannelData(0);
    for (let i = 0; i < i16.length; i++) ch[i] = i16[i] / 32768;
    const src = ctx.createBufferSource();
    src.buffer = buf; src.connect(ctx.destination);
    const at = Math.max(a.playHead, ctx.currentTime + 0.08); // 80 ms jitter buffer
    src.start(at); a.playHead = at + buf.duration; a.heard++;
  };
  ws.onclose = () => { if (S.audio === a) { $('bridge-status').textContent = 'Audio ended'; } };
  $('bridge-status').textContent = mode === 'talk' ? 'Connecting your microphone…' : 'Listening in';
  if (mode === 'talk') {
    await ctx.audioWorklet.addModule('/console/static/pcm-worklet.js');
    a.stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: false, autoGainControl: false },
    });
    const src = ctx.createMediaStreamSource(a.stream);
    a.node = new AudioWorkletNode(ctx, 'pcm-capture');
    const sink = ctx.createGain(); sink.gain.value = 0;
    src.connect(a.node); a.node.connect(sink).connect(ctx.destination);
    a.node.port.onmessage = (m) => {
      $('meter').firstElementChild.style.width = `${Math.min(100, m.data.level * 300)}%`;
      if (!a.muted && ws.readyState === WebSocket.OPEN) { ws.send(m.data.frame); a.sent++; }
    };
    $('bridge-status').textContent = 'You are on the call';
  }
  if (ctx.state === 'suspended') await ctx.resume();
  render();
}

function stopAudio() {
  const a = S.audio;
  if (!a) return;
  S.audio = null;
  try { a.ws && a.ws.close(); } catch (e) { /* closed */ }
  try { a.stream && a.stream.getTracks().forEach((t) => t.stop()); } catch (e) { /* stopped */ }
  try { a.ctx.close(); } catch (e) { /* closed */ }
}

$('mute').addEventListener('click', () => {
  if (!S.audio) return;
  S.audio.muted = !S.audio.muted;
  $('mute').textContent = S.audio.muted ? 'Unmute' : 'Mute';
});
$('drop-audio').addEventListener('click', () => { stopAudio(); render(); });

boot();
