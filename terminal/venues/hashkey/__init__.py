"""HashKey spot exchange (MENA "pro" and Global "glb" deployments): source document 004."""
