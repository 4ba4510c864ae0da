package io.github.redisonmesos.broker.component;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What the JVM writes to its standard output and error (the brokers' log lines among it)
 * from the start of a test on, for end-to-end classes that run side by side: a test
 * method takes a {@link CapturedOutput} parameter, as with Spring Boot's
 * {@link OutputCaptureExtension}. That extension stacks one capture per class and test
 * and each restores, when it ends, the stream it found: with classes side by side, the
 * first to end restores the stream that another class was capturing through, and that
 * class sees nothing more (a renewal line seen missing at five classes at a time). Here
 * one tee per JVM is installed once and never removed; it keeps text only while a test
 * holds a capture.
 */
final class JvmOutput implements ParameterResolver, AfterEachCallback {

	private static final Object lock = new Object();

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(JvmOutput.class);

	private static final StringBuilder out = new StringBuilder();

	private static final StringBuilder err = new StringBuilder();

	private static final StringBuilder all = new StringBuilder();

	// characters dropped from the front of each buffer while nobody held a capture
	private static long droppedOut;

	private static long droppedErr;

	private static long droppedAll;

	private static int holders;

	static {
		System.setOut(tee(System.out, out));
		System.setErr(tee(System.err, err));
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
		return CapturedOutput.class.equals(parameter.getParameter().getType());
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
		Capture capture;
		synchronized (lock) {
			holders++;
			capture = new Capture(droppedOut + out.length(), droppedErr + err.length(), droppedAll + all.length());
		}
		extension.getStore(NAMESPACE).put(Capture.class, capture);
		return capture;
	}

	@Override
	public void afterEach(ExtensionContext extension) {
		if (extension.getStore(NAMESPACE).remove(Capture.class, Capture.class) == null) {
			return;
		}
		synchronized (lock) {
			if (--holders == 0) {
				droppedOut += out.length();
				droppedErr += err.length();
				droppedAll += all.length();
				out.setLength(0);
				err.setLength(0);
				all.setLength(0);
			}
		}
	}

	private static PrintStream tee(PrintStream original, StringBuilder stream) {
		Charset charset = Charset.defaultCharset();
		return new PrintStream(new OutputStream() {
			@Override
			public void write(int b) {
				write(new byte[] { (byte) b }, 0, 1);
			}

			@Override
			public void write(byte[] bytes, int offset, int length) {
				original.write(bytes, offset, length);
				synchronized (lock) {
					if (holders > 0) {
						String text = new String(bytes, offset, length, charset);
						stream.append(text);
						all.append(text);
					}
				}
			}

			@Override
			public void flush() {
				original.flush();
			}
		}, true, charset);
	}

	private record Capture(long outFrom, long errFrom, long allFrom) implements CapturedOutput {

		@Override
		public String getAll() {
			synchronized (lock) {
				return all.substring((int) (this.allFrom - droppedAll));
			}
		}

		@Override
		public String getOut() {
			synchronized (lock) {
				return out.substring((int) (this.outFrom - droppedOut));
			}
		}

		@Override
		public String getErr() {
			synchronized (lock) {
				return err.substring((int) (this.errFrom - droppedErr));
			}
		}

		@Override
		public String toString() {
			return getAll();
		}

	}

}
