# btf_ids.awk: from `bpftool btf dump file BTF` (lines "[ID] KIND 'NAME' ..."),
# the ids of the types named in `want` ("FUNC:name TYPEDEF:name ..."), one
# line each: "KIND_NUMBER NAME ID" (KIND_NUMBER as linux/btf.h numbers it,
# FUNC 12, TYPEDEF 8), read back by btf_lookup.cpp's recorded_btf_type_ids().
BEGIN {
  n = split(want, w, " ")
  for (i = 1; i <= n; i++) wanted[w[i]] = 1
  number["FUNC"] = 12
  number["TYPEDEF"] = 8
}
{
  name = $3
  gsub("'", "", name)
  key = $2 ":" name
  if (key in wanted && !(key in seen)) {
    seen[key] = 1
    id = $1
    gsub(/[\[\]]/, "", id)
    print number[$2], name, id
  }
}
