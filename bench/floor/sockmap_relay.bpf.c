/* sockmap_relay.bpf.c: the in-kernel half of the sockmap relay experiment
 * (see sockmap_relay.c).  Two SOCKMAPs hold the relayed TCP sockets (slot
 * 0 = A, slot 1 = B):
 *   peers  no program attached; both sockets go in first, so each has a
 *          psock and is a valid redirect target before any verdict runs
 *   socks  the sk_skb verdict program below is attached to it; a socket
 *          inserted here has its received skbs handed to relay_verdict
 * relay_verdict adds the skb's length to bytes[from] and redirects it to
 * the egress of the other slot of `peers`, so the relay process never
 * touches the data.  cookies[] holds the sockets' SO_COOKIE values (written
 * before the inserts) to tell the directions apart.  A direction that is
 * not relayed in the kernel simply keeps its source socket out of `socks`. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_SOCKMAP);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, __u64);
} socks SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_SOCKMAP);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, __u64);
} peers SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, __u64);
} cookies SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, __u64);
} bytes SEC(".maps");

SEC("sk_skb")
int relay_verdict(struct __sk_buff *skb) {
  __u32 k0 = 0;
  __u64 *c0 = bpf_map_lookup_elem(&cookies, &k0);
  if (!c0) return SK_DROP;
  /* The FIN arrives as a zero-length skb: redirected, the egress worker's
   * zero-byte send counts as a hard error (EPIPE on the target, which then
   * stops transmitting), so it is dropped here; TCP has already recorded
   * the FIN on the source socket (POLLRDHUP). */
  if (skb->len == 0) return SK_DROP;
  __u32 from = bpf_get_socket_cookie(skb) == *c0 ? 0 : 1;
  __u64 *n = bpf_map_lookup_elem(&bytes, &from);
  if (n) __sync_fetch_and_add(n, skb->len);
  return bpf_sk_redirect_map(skb, &peers, from ^ 1, 0);
}

char LICENSE[] SEC("license") = "GPL";
