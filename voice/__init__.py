"""Audio in and out: transports, codecs, VAD, ASR, TTS, the call loop, the server and the CLI."""
