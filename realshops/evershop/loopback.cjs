// Preloaded into EverShop's Node processes (NODE_OPTIONS=--require) by serve.py.
//
// EverShop 2.2 calls `server.listen(port)` with no host, which binds every interface.
// The harness only ever serves on loopback, so a listen without a host is given the
// host from MYSTERY_SHOPPER_LISTEN_HOST (serve.py checks that it is a loopback address).
// A listen that names a host or a socket path is left alone.
'use strict';

const net = require('net');

const host = process.env.MYSTERY_SHOPPER_LISTEN_HOST;
if (host) {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function listenOnLoopback(...args) {
    const first = args[0];
    const isPort = typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first));
    if (isPort && (args.length === 1 || typeof args[1] === 'function')) {
      args.splice(1, 0, host); // listen(port[, callback])
    } else if (first && typeof first === 'object' && 'port' in first && first.host === undefined
      && first.path === undefined) {
      args[0] = { ...first, host }; // listen({port, ...}[, callback])
    }
    return listen.apply(this, args);
  };
}
