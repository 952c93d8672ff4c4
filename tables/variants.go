package tables

// WithoutDefault returns a copy of the configuration with its default route (0.0.0.0/0)
// withdrawn, as `route del default` would leave it: destinations outside every other prefix
// then miss the LPM (punt no_route).
func (c *Config) WithoutDefault() *Config {
	cp := *c
	cp.Routes = nil
	for _, r := range c.Routes {
		if r.Prefix.Bits() != 0 {
			cp.Routes = append(cp.Routes, r)
		}
	}
	return &cp
}
