/* A measurement hook on delegate's owner path, for gilsim calibrate (batch_exit_ns,
 * serve_miss_ns): while set, each request's push is stamped, and an owner that serves it from a
 * drain at a check point of its batch reports, as it answers, the time from the push to the
 * start of serving and the serving itself (ns, at the backend's clock: natively each stamp is a
 * clock read). NULL (the default): no stamp is taken. */
#ifndef GILSIM_MODELS_DELEGATE_PROBE_H
#define GILSIM_MODELS_DELEGATE_PROBE_H

extern void (*delegate_probe)(double push_to_serve_ns, double serve_ns);

#endif
