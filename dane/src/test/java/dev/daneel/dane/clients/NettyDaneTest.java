package dev.daneel.dane.clients;

import dev.daneel.dane.DaneTrustManager;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@link DaneTrustManager} in Netty through {@code SslContextBuilder.trustManager}; the handler is
 * made with the peer's host and port, which is where the trust manager reads the name to look up.
 */
class NettyDaneTest extends DaneClientScenarios {

    /** A readiness bound for one exchange on loopback, never asserted on. */
    private static final int EXCHANGE_SECONDS = 30;

    @Override
    String fetch(DaneTrustManager dane, String host, int port) throws Exception {
        SslContext ssl = SslContextBuilder.forClient().trustManager(dane).build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CompletableFuture<String> body = new CompletableFuture<>();
        StringBuilder received = new StringBuilder();
        try {
            Channel ch =
                    new Bootstrap()
                            .group(group)
                            .channel(NioSocketChannel.class)
                            .handler(
                                    new ChannelInitializer<SocketChannel>() {
                                        @Override
                                        protected void initChannel(SocketChannel c) {
                                            SslHandler tls = ssl.newHandler(c.alloc(), host, port);
                                            tls.handshakeFuture()
                                                    .addListener(
                                                            f -> {
                                                                if (f.isSuccess()) {
                                                                    c.writeAndFlush(
                                                                            Unpooled.copiedBuffer(
                                                                                    "GET / HTTP/1.1\r\nHost: "
                                                                                            + host
                                                                                            + "\r\nConnection: close\r\n\r\n",
                                                                                    StandardCharsets
                                                                                            .US_ASCII));
                                                                } else {
                                                                    body.completeExceptionally(
                                                                            f.cause());
                                                                }
                                                            });
                                            c.pipeline()
                                                    .addLast(
                                                            tls,
                                                            new SimpleChannelInboundHandler<
                                                                    ByteBuf>() {
                                                                @Override
                                                                protected void channelRead0(
                                                                        ChannelHandlerContext ctx,
                                                                        ByteBuf msg) {
                                                                    received.append(
                                                                            msg.toString(
                                                                                    StandardCharsets
                                                                                            .US_ASCII));
                                                                }

                                                                @Override
                                                                public void channelInactive(
                                                                        ChannelHandlerContext ctx) {
                                                                    String r = received.toString();
                                                                    int start =
                                                                            r.indexOf("\r\n\r\n");
                                                                    body.complete(
                                                                            start < 0
                                                                                    ? r
                                                                                    : r.substring(
                                                                                            start
                                                                                                    + 4));
                                                                }

                                                                @Override
                                                                public void exceptionCaught(
                                                                        ChannelHandlerContext ctx,
                                                                        Throwable cause) {
                                                                    body.completeExceptionally(
                                                                            cause);
                                                                    ctx.close();
                                                                }
                                                            });
                                        }
                                    })
                            .connect(host, port)
                            .sync()
                            .channel();
            try {
                return body.get(EXCHANGE_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : e;
            } finally {
                ch.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }
}
