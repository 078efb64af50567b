package resource

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Handler serves one protected resource's metadata. It is safe for
// concurrent use; build it once with New.
type Handler struct {
	meta  Metadata
	body  []byte
	path  string // the well-known path of section 3.1
	url   string // its absolute URL
	cache string // the Cache-Control value
	size  string // len(body), for Content-Length
}

// New checks cfg and returns the Handler of its document.
func New(cfg Config) (*Handler, error) {
	m, err := cfg.metadata()
	if err != nil {
		return nil, err
	}
	r, err := parseResource(cfg.Resource)
	if err != nil { // checked by metadata already
		return nil, configError("Resource: %v", err)
	}
	body, err := json.Marshal(m)
	if err != nil {
		return nil, configError("encoding the document: %v", err)
	}
	return &Handler{
		meta:  m,
		body:  body,
		path:  r.wellKnownPath(),
		url:   r.origin + r.wellKnownPath(),
		cache: "public, max-age=" + strconv.FormatInt(int64(cfg.maxAge().Seconds()), 10),
		size:  strconv.Itoa(len(body)),
	}, nil
}

// ServeHTTP answers GET and HEAD with the document (200,
// application/json, Cache-Control: public with MaxAge,
// Access-Control-Allow-Origin: * since the document is public and browser
// clients read it from other origins) and every other method with 405 and
// Allow: GET, HEAD. It does not look at the path: mount it where it
// belongs (Mount).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		hd.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Length", h.size)
	hd.Set("Cache-Control", h.cache)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(h.body)
	}
}

// Path returns the path the document belongs at (RFC 9728 section 3.1):
// "/.well-known/oauth-protected-resource" followed by the resource's path,
// if it has one.
func (h *Handler) Path() string { return h.path }

// URL returns the document's absolute URL: the resource's scheme and host,
// then Path. Give it to middleware.WithResourceMetadata.
func (h *Handler) URL() string { return h.url }

// Metadata returns a copy of the document served.
func (h *Handler) Metadata() Metadata { return h.meta.clone() }

// Mux is what Mount registers the handler on: *http.ServeMux and chi's
// Router both have this method.
type Mux interface {
	Handle(pattern string, h http.Handler)
}

// Mount registers h on mux at Path, a pattern without method or
// wildcards that both routers match exactly.
func (h *Handler) Mount(mux Mux) { mux.Handle(h.path, h) }
