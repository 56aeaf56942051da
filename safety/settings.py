"""Warmline's configuration, from the environment (prefix ``WARMLINE_``) and an optional ``.env``.

It lives in ``safety`` because that package is the root of the import graph: ``voice`` and
``dialogue`` may import ``safety``, never the other way round. Twilio credentials use Twilio's own
names (``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN``).
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WARMLINE_", env_file=".env", extra="ignore")

    # storage and bus
    database_url: str = "sqlite:///./warmline.db"
    bus_url: str = ""  # empty: in-process; "redis://host:6379/0" when scaled out
    data_key: str = ""  # base64 master key; created next to the SQLite file on first run when empty
    data_key_file: str = "./warmline.key"

    # models: None means the bundled package's model
    asr_model: str | None = None
    asr_threads: int = 0  # 0: one per core
    # MiniLM threads for risk and dialogue embeddings. One: in isolation two threads nearly halve a short sentence's
    # ~4.3 ms, but inside the risk pipeline (and beside ASR in calls) they measured no better (docs/risk.md, "Speed")
    embed_threads: int = 1
    # where derived data that is slow to make is kept between runs (the risk bank's embeddings, ~4 s to make):
    # "" means $XDG_CACHE_HOME/warmline or ~/.cache/warmline; "off" never writes one
    cache_dir: str = ""
    asr_min_window_s: float = 10.0  # Whisper encoder window floor (s); 30 = Whisper's fixed window
    tts_voice: str | None = None

    # telephony
    public_url: str = ""  # e.g. https://line.example.org, used in TwiML and status callbacks
    sip_listen: str = ""  # e.g. 0.0.0.0:5060; SIP is off when empty
    sip_public_address: str = ""  # address put in SDP when behind NAT
    sip_rtp_port: int = 16000  # first of the RTP/RTCP ports (two per call) the SIP line uses
    sip_rtp_port_range: int = 2000
    sip_rtp_timeout_s: float = 30.0  # no RTP from a caller this long (and not on hold): the call ends
    sip_max_calls: int = 32  # more simultaneous SIP calls get 486 Busy Here
    twilio_api_base: str = ""  # override of https://api.twilio.com, for tests
    twilio_account_sid: str = Field(
        "", validation_alias=AliasChoices("TWILIO_ACCOUNT_SID", "WARMLINE_TWILIO_ACCOUNT_SID")
    )
    twilio_auth_token: str = Field(
        "", validation_alias=AliasChoices("TWILIO_AUTH_TOKEN", "WARMLINE_TWILIO_AUTH_TOKEN")
    )
    twilio_from_number: str = ""

    # people
    human_line: str = ""  # "console" (default when empty), a phone number, a SIP URI, or a comma list
    crisis_line: str = "988"
    transfer_ring_timeout_s: float = 30.0
    transfer_retry_interval_s: float = 60.0
    emergency_number: str = "911"  # said in emergency guidance (imminent risk)

    # risk policy: the lowest level that triggers each action (see safety/escalation.py)
    risk_transfer_level: str = "high"
    risk_check_in_level: str = "low"
    risk_offer_human_level: str = "moderate"
    risk_emergency_level: str = "imminent"
    risk_partial_min_level: str = "high"  # a partial transcript raises the call only at or above this
    risk_window_turns: int = 6  # rolling window of final turns joined across the call
    risk_window_seconds: float = 300.0

    # privacy
    retention_days_transcripts: int = 30
    retention_days_calls: int = 365
    retention_days_audit: int = 730
    store_audio: bool = False
    caller_id_salt: str = ""
    retention_days_memory: int = 90  # opt-in caller memory, counted from its last update
    retention_days_audio: int = 7  # only when store_audio is on
    purge_interval_hours: float = 24.0  # the background purge; 0 turns it off
    records_queue_max: int = 20000  # records held in memory while the database is unreachable
    session_hours: float = 12.0  # console sign-in lifetime
    login_max_failures: int = 5  # per username+IP within login_window_s, then HTTP 429
    login_window_s: float = 900.0

    # server
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"
    # call loop (voice/pipeline.py): "fast" (adaptive endpointing, speculative decode, phrase cache,
    # batching) or "naive" (the benchmark's baseline: fixed 800 ms endpoint, no tricks)
    pipeline: str = "fast"
    silence_prompt_s: float = 20.0  # caller silent this long after the line spoke: a gentle prompt

    @property
    def human_lines(self) -> list[str]:
        lines = [t.strip() for t in self.human_line.split(",") if t.strip()]
        return lines or ["console"]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
