// Tests for common/src/tcp_info.cpp: the field table matches this kernel's
// struct, decoding is length-aware (fields past the returned length are
// absent, also when the kernel itself is asked for fewer bytes), bitfields
// and enums decode, and the text/socat/JSON renderings have their shapes.
#include "fdscope/tcp_info.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "fdscope/unique_fd.hpp"

using namespace fdscope;
using nlohmann::json;

namespace {

struct TcpPair {
  UniqueFd listener, client, server;
};

TcpPair tcp_pair() {
  TcpPair p;
  p.listener.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(p.listener.get(), reinterpret_cast<sockaddr*>(&in), sizeof in), 0);
  EXPECT_EQ(::listen(p.listener.get(), 4), 0);
  socklen_t len = sizeof in;
  ::getsockname(p.listener.get(), reinterpret_cast<sockaddr*>(&in), &len);
  p.client.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  EXPECT_EQ(::connect(p.client.get(), reinterpret_cast<sockaddr*>(&in), sizeof in), 0);
  p.server.reset(::accept4(p.listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  return p;
}

json to_json(const TcpInfo& t) {
  std::string out;
  JsonWriter w(out);
  tcp_info_json(w, t);
  return json::parse(out);
}

}  // namespace

TEST(TcpInfoTable, FieldsAscendAndEndAtKernelSize) {
  auto fields = tcp_info_fields();
  ASSERT_EQ(fields.size(), 70u);  // vlen of STRUCT 'tcp_info' in this kernel's BTF
  unsigned prev_end = 0;
  for (const auto& f : fields) {
    SCOPED_TRACE(f.name);
    EXPECT_TRUE(f.width == 1 || f.width == 2 || f.width == 4 || f.width == 8);
    if (f.bit_width == 0) {
      EXPECT_GE(f.offset, prev_end);
      EXPECT_EQ(f.offset % f.width, 0u) << "natural alignment";
    }
    prev_end = f.offset + f.width;
    EXPECT_EQ(find_tcp_info_field(f.name), &f);
    EXPECT_EQ(find_tcp_info_field(std::string("tcpi_") + f.name), &f);
  }
  EXPECT_EQ(prev_end, kTcpInfoKernelSize);
  EXPECT_EQ(find_tcp_info_field("rtt")->offset, 68);
  EXPECT_EQ(find_tcp_info_field("pacing_rate")->offset, 104);
  EXPECT_EQ(find_tcp_info_field("total_rto")->width, 2);
  EXPECT_EQ(find_tcp_info_field("received_ce_bytes")->offset, 272);
  EXPECT_EQ(find_tcp_info_field("nope"), nullptr);
}

TEST(TcpInfoRead, EstablishedPairDecodes) {
  TcpPair p = tcp_pair();
  ASSERT_EQ(::send(p.client.get(), "hello", 5, 0), 5);
  char buf[8];
  ASSERT_EQ(::recv(p.server.get(), buf, sizeof buf, 0), 5);
  auto info = read_tcp_info(p.client.get());
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_GE(info->length(), 104u);
  EXPECT_LE(info->length(), 512u);
  EXPECT_EQ(info->get("state"), 1u);
  EXPECT_EQ(tcp_state_name(static_cast<unsigned>(*info->get("state"))), "ESTABLISHED");
  EXPECT_EQ(info->get("ca_state"), 0u);
  EXPECT_GT(*info->get("snd_mss"), 0u);
  EXPECT_GT(*info->get("rtt"), 0u);
  // Linux always negotiates these on loopback.
  unsigned opts = static_cast<unsigned>(*info->get("options"));
  EXPECT_TRUE(opts & 1) << "TS";
  EXPECT_TRUE(opts & 2) << "SACK";
  EXPECT_TRUE(opts & 4) << "WSCALE";
  if (info->length() >= kTcpInfoKernelSize) {
    EXPECT_EQ(info->get("bytes_sent"), 5u);
    EXPECT_EQ(info->get("bytes_acked"), 6u);  // the SYN counts
    for (const auto& f : tcp_info_fields()) EXPECT_TRUE(info->has(f)) << f.name;
  }
  std::string text = tcp_info_text(*info);
  EXPECT_EQ(text.rfind("state=ESTABLISHED ca_state=Open ", 0), 0u) << text;
  EXPECT_NE(text.find(" rtt="), std::string::npos);
  EXPECT_NE(text.find("us "), std::string::npos);
  json j = to_json(*info);
  EXPECT_EQ(j["state"], "ESTABLISHED");
  EXPECT_EQ(j["length"], info->length());
  EXPECT_TRUE(j["options"].is_array());
  EXPECT_EQ(j["options"][0], "TS");
  EXPECT_TRUE(j["rtt"].is_number());
}

TEST(TcpInfoRead, ListenerIsListen) {
  TcpPair p = tcp_pair();
  auto info = read_tcp_info(p.listener.get());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(tcp_info_field_text(*find_tcp_info_field("state"), *info->get("state")), "LISTEN");
}

TEST(TcpInfoRead, KernelAskedForFewerBytesLeavesLaterFieldsAbsent) {
  TcpPair p = tcp_pair();
  uint8_t buf[92] = {};
  socklen_t len = sizeof buf;
  ASSERT_EQ(::getsockopt(p.client.get(), IPPROTO_TCP, 11 /* TCP_INFO */, buf, &len), 0);
  ASSERT_EQ(len, sizeof buf);
  TcpInfo info = tcp_info_from_bytes(buf, len);
  EXPECT_TRUE(info.get("reordering").has_value());  // 88..92
  EXPECT_FALSE(info.get("rcv_rtt").has_value());    // 92..96
  EXPECT_FALSE(info.get("pacing_rate").has_value());
  json j = to_json(info);
  EXPECT_TRUE(j.contains("reordering"));
  EXPECT_FALSE(j.contains("rcv_rtt"));
  EXPECT_FALSE(j.contains("bytes_acked"));
  EXPECT_EQ(tcp_info_text(info).find("rcv_rtt="), std::string::npos);
}

TEST(TcpInfoDecode, ShortBufferFieldsStraddlingTheEndAreAbsent) {
  uint8_t raw[kTcpInfoKernelSize] = {};
  raw[0] = 10;  // LISTEN
  TcpInfo info = tcp_info_from_bytes(raw, 110);  // pacing_rate is 104..112
  EXPECT_TRUE(info.get("total_retrans").has_value());
  EXPECT_FALSE(info.get("pacing_rate").has_value());
  TcpInfo empty = tcp_info_from_bytes(raw, 0);
  EXPECT_FALSE(empty.get("state").has_value());
  EXPECT_EQ(tcp_info_text(empty), "");
  EXPECT_EQ(to_json(empty).size(), 1u);  // only "length"
}

TEST(TcpInfoDecode, BitfieldsAndEnums) {
  uint8_t raw[kTcpInfoKernelSize] = {};
  raw[0] = 1;
  raw[1] = 4;     // Loss
  raw[5] = 0x0f;  // TS SACK WSCALE ECN
  raw[6] = 0xa7;  // snd_wscale 7, rcv_wscale 10
  raw[7] = 0x05;  // app_limited 1, fastopen_client_fail 2
  uint32_t rto = 204000;
  std::memcpy(raw + 8, &rto, 4);
  uint64_t rate = 1234567890123ull;
  std::memcpy(raw + 104, &rate, 8);
  TcpInfo info = tcp_info_from_bytes(raw, sizeof raw);
  EXPECT_EQ(info.get("snd_wscale"), 7u);
  EXPECT_EQ(info.get("rcv_wscale"), 10u);
  EXPECT_EQ(info.get("delivery_rate_app_limited"), 1u);
  EXPECT_EQ(info.get("fastopen_client_fail"), 2u);
  EXPECT_EQ(info.get("pacing_rate"), rate);
  EXPECT_EQ(tcp_ca_state_name(4), "Loss");
  EXPECT_EQ(tcp_options_text(0x0f), "TS|SACK|WSCALE|ECN");
  EXPECT_EQ(tcp_options_text(0), "0");
  EXPECT_EQ(tcp_state_name(99), "");
  std::string text = tcp_info_text(info);
  EXPECT_NE(text.find("ca_state=Loss"), std::string::npos);
  EXPECT_NE(text.find("options=TS|SACK|WSCALE|ECN"), std::string::npos);
  EXPECT_NE(text.find("rto=204000us"), std::string::npos);
  EXPECT_NE(text.find("pacing_rate=1234567890123B/s"), std::string::npos);
  json j = to_json(info);
  EXPECT_EQ(j["ca_state"], "Loss");
  EXPECT_EQ(j["snd_wscale"], 7);
  EXPECT_EQ(j["rto"], 204000);
  EXPECT_EQ(j["pacing_rate"], rate);
  EXPECT_EQ(j["options"].size(), 4u);
}

TEST(TcpInfoRender, SocatHexWordsAndTcpiFields) {
  uint8_t raw[16] = {1, 0, 0, 0, 0, 7, 0xaa, 0};
  TcpInfo info = tcp_info_from_bytes(raw, sizeof raw);
  EXPECT_EQ(tcp_info_socat_hex(info), "TCP_INFO={00000001 00aa0700 00000000 00000000}");
  EXPECT_EQ(tcp_info_socat_tcpi(info), "TCPI_STATE={1}\tTCPI_OPTIONS={7}\tTCPI_SND_WSCALE={10}\tTCPI_RCV_WSCALE={10}");
  EXPECT_EQ(tcp_info_socat(info), tcp_info_socat_hex(info) + "\t" + tcp_info_socat_tcpi(info));
  // Only as many words as the kernel returned.
  TcpInfo shorter = tcp_info_from_bytes(raw, 4);
  EXPECT_EQ(tcp_info_socat(shorter), "TCP_INFO={00000001}\tTCPI_STATE={1}");
}
