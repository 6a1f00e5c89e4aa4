package servertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	coderws "github.com/coder/websocket"
)

// WSClient speaks graphql-transport-ws over a real websocket.
type WSClient struct {
	t    *testing.T
	conn *coderws.Conn
}

// DialWS opens a graphql-transport-ws connection to the server at url
// and authenticates with token in connection_init (origin, if set, is
// sent as the Origin header).
func DialWS(t *testing.T, url, token, origin string) (*WSClient, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	conn, resp, err := coderws.Dial(ctx, "ws"+strings.TrimPrefix(url, "http")+"/graphql", &coderws.DialOptions{
		Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: h,
	})
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, err
	}
	c := &WSClient{t: t, conn: conn}
	t.Cleanup(func() { _ = conn.CloseNow() })
	c.Send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + token}})
	m, err := c.Read(5 * time.Second)
	if err != nil {
		return nil, fmt.Errorf("connection_init: %w", err)
	}
	if m["type"] != "connection_ack" {
		return nil, fmt.Errorf("connection_init answered %v", m)
	}
	return c, nil
}

// Send sends one message.
func (c *WSClient) Send(m map[string]any) {
	c.t.Helper()
	b, _ := json.Marshal(m)
	if err := c.conn.Write(c.t.Context(), coderws.MessageText, b); err != nil {
		c.t.Fatal(err)
	}
}

// Read returns the next message other than a ping.
func (c *WSClient) Read(within time.Duration) (map[string]any, error) {
	ctx, cancel := context.WithTimeout(c.t.Context(), within)
	defer cancel()
	for {
		_, b, err := c.conn.Read(ctx)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, err
		}
		if m["type"] == "ping" {
			c.Send(map[string]any{"type": "pong"})
			continue
		}
		return m, nil
	}
}
