"""The hosted chat page (mode "Hosted Chat"): one self-contained HTML document, no CDN.

It speaks the same protocol as n8n's `@n8n/chat` widget against the trigger's own URL:
`loadPreviousSession` on open (when the trigger loads sessions), `sendMessage` per message,
NDJSON chunks read as they arrive in streaming mode, `{output}` otherwise. The session id is
kept in `localStorage` under the widget's key (`n8n-chat/sessionId`), so memory nodes keyed
by `{{ $json.sessionId }}` remember the conversation across messages and reloads.
"""

from __future__ import annotations

import html
import json
from typing import Any

from api.chat.matching import ChatTarget

DEFAULT_INITIAL_MESSAGES = "Hi there! 👋\nMy name is Nathan. How can I assist you today?"
# The node's i18n defaults (n8n's chat trigger options).
DEFAULTS = {
    "title": "Hi there! 👋",
    "subtitle": "Start a chat. We're here to help you 24/7.",
    "inputPlaceholder": "Type your question..",
    "getStarted": "New Conversation",
}

_STYLE = """
:root { --chat-color: #e74266; --chat-bg: #f2f4f8; --chat-bot: #ffffff; --chat-user: #e74266; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, sans-serif; background: var(--chat-bg); height: 100vh;
  display: flex; flex-direction: column; }
.chat-header { background: #101330; color: #fff; padding: 16px 20px; }
.chat-header h1 { margin: 0 0 4px; font-size: 1.4em; } .chat-header p { margin: 0; opacity: .8; }
.chat-messages-list { flex: 1; overflow-y: auto; padding: 16px; display: flex; flex-direction: column;
  gap: 8px; }
.chat-message { max-width: 70%; padding: 10px 14px; border-radius: 12px; white-space: pre-wrap;
  line-height: 1.4; }
.chat-message-from-bot { background: var(--chat-bot); align-self: flex-start; }
.chat-message-from-user { background: var(--chat-user); color: #fff; align-self: flex-end; }
.chat-message-error { border: 1px solid #c00; color: #c00; }
.chat-input { display: flex; gap: 8px; padding: 12px; background: #fff; border-top: 1px solid #ddd; }
.chat-input textarea { flex: 1; resize: none; padding: 10px; font: inherit; border-radius: 8px;
  border: 1px solid #ccc; }
.chat-input button, .chat-get-started button { background: var(--chat-color); color: #fff; border: 0;
  border-radius: 8px; padding: 0 18px; font: inherit; cursor: pointer; }
.chat-input button:disabled { opacity: .5; cursor: default; }
.chat-get-started { flex: 1; display: flex; align-items: center; justify-content: center; }
.chat-get-started button { padding: 12px 24px; }
"""

_SCRIPT = r"""
(function () {
  const config = JSON.parse(document.getElementById('chat-config').textContent);
  const list = document.querySelector('.chat-messages-list');
  const input = document.querySelector('.chat-input textarea');
  const button = document.querySelector('.chat-input button');
  const SESSION_KEY = 'n8n-chat/sessionId';

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (c) {
      const r = Math.random() * 16 | 0; return (c === 'x' ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }
  function bubble(sender, text, extra) {
    const el = document.createElement('div');
    el.className = 'chat-message chat-message-from-' + sender + (extra ? ' ' + extra : '');
    el.textContent = text;
    list.appendChild(el);
    list.scrollTop = list.scrollHeight;
    return el;
  }
  async function post(body, accept) {
    const response = await fetch(config.webhookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': accept || 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
    if (!response.ok) throw new Error('Error while sending message. Error: ' + await response.text());
    return response;
  }
  function replyText(data) {
    if (Array.isArray(data)) data = data[0] || {};
    if (typeof data === 'string') return data;
    const text = data.output ?? data.text ?? data.message ?? '';
    return text === '' && data && Object.keys(data).length ? JSON.stringify(data) : String(text);
  }

  async function streamReply(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const messages = {};
    let buffer = '';
    let received = false;
    function handle(chunk) {
      const meta = chunk.metadata || {};
      const key = (meta.nodeId || 'unknown') + '-' + (meta.runIndex ?? 0);
      if (chunk.type === 'begin') {
        if (!messages[key]) messages[key] = bubble('bot', '', 'chat-message-streaming');
      } else if (chunk.type === 'item' || chunk.type === 'error') {
        received = true;
        if (!messages[key]) messages[key] = bubble('bot', '', 'chat-message-streaming');
        const text = chunk.type === 'error'
          ? 'Error: ' + (chunk.content || 'Unknown error') : (chunk.content || '');
        messages[key].textContent += text;
        if (chunk.type === 'error') messages[key].classList.add('chat-message-error');
        list.scrollTop = list.scrollHeight;
      }
      if (chunk.type === 'end' || chunk.type === 'error') {
        if (messages[key]) messages[key].classList.remove('chat-message-streaming');
      }
    }
    function parse(line) {
      if (!line.trim()) return;
      try { handle(JSON.parse(line)); } catch (e) { handle({ type: 'item', content: line }); }
    }
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const lines = buffer.split('\n');
      buffer = lines.pop();
      lines.forEach(parse);
    }
    parse(buffer);
    if (!received) bubble('bot', '');
  }

  // "Using Response Nodes": the run's Respond to Chat messages arrive over n8n's /chat socket,
  // and the user's replies go back over it while it is open.
  let socket = null;
  function openSession(executionId) {
    const url = new URL(config.webhookUrl);
    const query = new URLSearchParams({ sessionId: sessionId, executionId: executionId, isPublic: 'true' });
    socket = new WebSocket((url.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + url.host + '/chat?' + query);
    socket.onmessage = function (event) {
      if (event.data === 'n8n|heartbeat') { socket.send('n8n|heartbeat-ack'); return; }
      if (event.data === 'n8n|continue') return;
      bubble('bot', String(event.data));
    };
    socket.onclose = function () { socket = null; };
  }

  async function send() {
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    bubble('user', text);
    button.disabled = true;
    const body = { action: 'sendMessage', sessionId: sessionId, chatInput: text };
    try {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify(body));
      } else if (config.enableStreaming) {
        await streamReply(await post(body, 'text/plain'));
      } else {
        const response = await post(body);
        const raw = await response.text();
        let data;
        try { data = JSON.parse(raw); } catch (e) { data = raw; }
        if (data && data.executionStarted) openSession(data.executionId);
        else bubble('bot', replyText(data));
      }
    } catch (error) {
      bubble('bot', String(error.message || error), 'chat-message-error');
    } finally {
      button.disabled = false;
      input.focus();
    }
  }

  let sessionId = localStorage.getItem(SESSION_KEY);
  async function start() {
    document.querySelector('.chat-get-started')?.remove();
    document.querySelector('.chat-body').style.display = 'flex';
    (config.initialMessages || []).forEach(function (text) { bubble('bot', text); });
    if (sessionId && config.loadPreviousSession) {
      try {
        const data = await (await post({ action: 'loadPreviousSession', sessionId: sessionId })).json();
        (data.data || []).forEach(function (message) {
          const human = (message.id || []).includes('HumanMessage');
          bubble(human ? 'user' : 'bot', (message.kwargs || {}).content || '');
        });
      } catch (error) {
        bubble('bot', String(error.message || error), 'chat-message-error');
      }
    }
    if (!sessionId) { sessionId = uuid(); localStorage.setItem(SESSION_KEY, sessionId); }
    document.body.dataset.sessionId = sessionId;
    document.body.dataset.ready = 'true';
    input.focus();
  }

  button.addEventListener('click', send);
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); send(); }
  });
  const getStarted = document.querySelector('.chat-get-started button');
  if (getStarted) {
    getStarted.addEventListener('click', function () {
      sessionId = null; localStorage.removeItem(SESSION_KEY); start();
    });
  } else {
    start();
  }
})();
"""


def _option(options: dict[str, Any], key: str) -> str:
    value = options.get(key)
    return str(value) if isinstance(value, str) and value else DEFAULTS[key]


def render_page(target: ChatTarget, webhook_url: str) -> str:
    """The chat page for ``target``, posting to ``webhook_url``."""
    options = target.options
    raw_messages = target.node.parameters.get("initialMessages", DEFAULT_INITIAL_MESSAGES)
    initial = [line for line in str(raw_messages or "").split("\n") if line.strip()]
    config = {
        "webhookUrl": webhook_url,
        "initialMessages": initial,
        "loadPreviousSession": options.get("loadPreviousSession", "notSupported") != "notSupported",
        "enableStreaming": target.response_mode == "streaming",
    }
    # `</` inside the JSON would end the script element early.
    config_json = json.dumps(config).replace("</", "<\\/")
    custom_css = str(options.get("customCss") or "").replace("</", "<\\/")
    welcome = bool(options.get("showWelcomeScreen"))
    get_started = (
        f'<div class="chat-get-started"><button type="button">'
        f"{html.escape(_option(options, 'getStarted'))}</button></div>"
        if welcome
        else ""
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat</title>
<style>{_STYLE}</style>
<style>{custom_css}</style>
</head>
<body>
<div class="chat-header"><h1>{html.escape(_option(options, "title"))}</h1>
<p>{html.escape(_option(options, "subtitle"))}</p></div>
{get_started}
<div class="chat-body" style="display:none; flex:1; flex-direction:column; min-height:0">
<div class="chat-messages-list"></div>
<div class="chat-input"><textarea rows="1" placeholder="{html.escape(_option(options, "inputPlaceholder"))}">\
</textarea><button type="button">Send</button></div>
</div>
<script type="application/json" id="chat-config">{config_json}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""


__all__ = ["render_page"]
