"""The demo exchange's servers: HashKey's REST API and WebSocket streams over one Starlette app."""
